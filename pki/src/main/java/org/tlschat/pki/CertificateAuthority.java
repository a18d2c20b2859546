package org.tlschat.pki;

import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.spec.PBEParameterSpec;

/**
 * A CA directory: {@code ca.pem ca.key crl.pem index.json nodes/ users/}. Issues node and user
 * certificates, exports PKCS#12 bundles, revokes and re-signs the CRL.
 *
 * <p>Issuing a name whose certificate file already exists is refused unless {@code force} is set;
 * a forced re-issue records a new serial and leaves the old one valid until it expires or is
 * revoked (by serial, or with every other certificate of the name). One process at a time: the methods are synchronized, there is no file lock.
 */
public final class CertificateAuthority {
    /** How long a CRL is valid; {@code tlschat pki crl} re-signs it. */
    public static final Duration CRL_VALIDITY = Duration.ofDays(30);

    private static final String PRIVATE_DIR = "rwx------";
    private static final int PKCS12_ITERATIONS = 10_000;
    private static final Pattern DNS_NAME = Pattern.compile(
            "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

    private final PkiLayout layout;
    private final CertificateIssuer issuer;
    private CaIndex index;

    private CertificateAuthority(PkiLayout layout, CertificateIssuer issuer, CaIndex index) {
        this.layout = layout;
        this.issuer = issuer;
        this.index = index;
    }

    /**
     * Creates a CA in {@code dir} (created 0700 if missing) with an empty CRL. Refuses a directory
     * that already holds a CA unless {@code force}; a refused call changes nothing.
     */
    public static CertificateAuthority init(Path dir, String trustDomain, KeyType keyType, int days, boolean force) {
        Names.requireValidTrustDomain(trustDomain);
        requirePositiveDays(days);
        PkiLayout layout = new PkiLayout(dir);
        if (!force && (Files.exists(layout.caCert()) || Files.exists(layout.caKey()))) {
            throw new PkiException(dir + ": a CA already exists here (use --force to replace it)");
        }
        createPrivateDirectory(dir);
        createPrivateDirectory(layout.nodes());
        createPrivateDirectory(layout.users());
        Instant now = CertificateRequest.now();
        IssuedCertificate ca = CertificateIssuer.selfSignedCa(
                trustDomain, keyType, now.minus(CertificateRequest.CLOCK_SKEW), now.plus(Duration.ofDays(days)));
        PemFiles.writePrivateKey(layout.caKey(), ca.privateKey());
        PemFiles.writeCertificates(layout.caCert(), ca.certificate());
        CertificateAuthority authority = new CertificateAuthority(
                layout, new CertificateIssuer(ca.certificate(), ca.privateKey()), CaIndex.empty(trustDomain));
        authority.refreshCrl();
        return authority;
    }

    /** Opens an existing CA directory. */
    public static CertificateAuthority open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PkiException(dir + ": no such directory (create a CA with 'tlschat pki init --dir " + dir + "')");
        }
        PkiLayout layout = new PkiLayout(dir);
        if (!Files.exists(layout.caCert())) {
            throw new PkiException(
                    dir + ": no CA in this directory (create one with 'tlschat pki init --dir " + dir + "')");
        }
        X509Certificate caCert = PemFiles.readCertificate(layout.caCert());
        PrivateKey caKey = PemFiles.readPrivateKey(layout.caKey());
        CaIndex index = CaIndex.read(layout.index());
        return new CertificateAuthority(layout, new CertificateIssuer(caCert, caKey), index);
    }

    public IssuedCertificate issueNode(String name, List<String> dns, List<String> ips, int days) {
        return issueNode(name, dns, ips, days, false);
    }

    /** Issues nodes/NAME.pem|key; {@code force} re-issues over an existing certificate. */
    public synchronized IssuedCertificate issueNode(
            String name, List<String> dns, List<String> ips, int days, boolean force) {
        Names.requireValid(name);
        dns.forEach(CertificateAuthority::requireDnsName);
        ips.forEach(CertificateAuthority::requireIpAddress);
        requirePositiveDays(days);
        return issue(
                SpiffeId.Kind.NODE,
                name,
                force,
                CertificateRequest.node(trustDomain(), name, dns, ips, keyType(), days));
    }

    public IssuedCertificate issueUser(String name, int days) {
        return issueUser(name, days, false);
    }

    /** Issues users/NAME.pem|key; {@code force} re-issues over an existing certificate. */
    public synchronized IssuedCertificate issueUser(String name, int days, boolean force) {
        Names.requireValid(name);
        requirePositiveDays(days);
        return issue(SpiffeId.Kind.USER, name, force, CertificateRequest.user(trustDomain(), name, keyType(), days));
    }

    /**
     * Writes users/NAME.p12 (0600): the user's key and certificate plus the CA certificate,
     * encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256 and a SHA-256 MAC.
     */
    public synchronized Path exportPkcs12(String user, char[] password) {
        Names.requireValid(user);
        Path certFile = layout.userCert(user);
        if (!Files.exists(certFile)) {
            throw new PkiException(
                    "unknown user '" + user + "': " + certFile + " does not exist (issue it with 'tlschat pki user')");
        }
        X509Certificate cert = PemFiles.readCertificate(certFile);
        PrivateKey key = PemFiles.readPrivateKey(layout.userKey(user));
        Path p12 = layout.userPkcs12(user);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            store.setEntry(
                    user,
                    new KeyStore.PrivateKeyEntry(key, new X509Certificate[] {cert, caCertificate()}),
                    new KeyStore.PasswordProtection(
                            password, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(salt, PKCS12_ITERATIONS)));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            PemFiles.writeAtomically(p12, bytes.toByteArray(), true);
            return p12;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + p12, e);
        }
    }

    /** {@link #revoke(String, SpiffeId.Kind)} for a name that is only a user or only a node. */
    public List<IndexEntry> revoke(String name) {
        return revoke(name, null);
    }

    /**
     * Revokes every unrevoked certificate issued to {@code name} (of {@code kind}, or of either kind
     * when null) and re-signs the CRL once. A name that is both a user and a node needs a kind. A
     * leaked certificate is revoked together with its re-issues: revoke first, then re-issue with
     * {@code --force}, or revoke only the leaked one with {@link #revokeSerial}.
     *
     * @return the certificates revoked now, in issue order
     */
    public synchronized List<IndexEntry> revoke(String name, SpiffeId.Kind kind) {
        List<IndexEntry> named = index.entries().stream()
                .filter(e -> e.name().equals(name))
                .filter(e -> kind == null || e.kind() == kind)
                .toList();
        if (named.isEmpty()) {
            throw new PkiException("unknown name '" + name + "'" + (kind == null ? "" : " for a " + kind.label())
                    + ": no certificate was issued to it; 'tlschat pki list' shows the issued ones");
        }
        if (kind == null && named.stream().map(IndexEntry::kind).distinct().count() > 1) {
            throw new PkiException("'" + name + "' is both a user and a node: choose one with --kind user|node");
        }
        List<IndexEntry> valid = named.stream().filter(e -> !e.revoked()).toList();
        if (valid.isEmpty()) {
            throw new PkiException("'" + name + "' is already revoked");
        }
        Instant now = CertificateRequest.now();
        List<IndexEntry> revoked = new ArrayList<>();
        for (IndexEntry entry : valid) {
            IndexEntry marked = entry.revokedAt(now);
            index = index.replacing(entry, marked);
            revoked.add(marked);
        }
        refreshCrl();
        return List.copyOf(revoked);
    }

    public synchronized IndexEntry revokeSerial(BigInteger serial) {
        IndexEntry entry = index.entries().stream()
                .filter(e -> e.serialNumber().equals(serial))
                .findFirst()
                .orElseThrow(() -> new PkiException(
                        "unknown serial " + serial.toString(16) + "; 'tlschat pki list' shows the issued ones"));
        if (entry.revoked()) {
            throw new PkiException("serial " + entry.serial() + " is already revoked");
        }
        return markRevoked(entry);
    }

    /** Re-signs crl.pem: every revoked serial, a new CRL number, next update in {@link #CRL_VALIDITY}. */
    public synchronized void refreshCrl() {
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        index.entries().stream().filter(IndexEntry::revoked).forEach(e -> revoked.put(e.serialNumber(), e.revokedAt()));
        CaIndex next = index.withNextCrlNumber();
        Instant now = CertificateRequest.now();
        PemFiles.writeCrl(
                layout.crl(), issuer.crl(revoked, BigInteger.valueOf(next.crlNumber()), now, now.plus(CRL_VALIDITY)));
        next.write(layout.index());
        index = next;
    }

    public synchronized List<IndexEntry> entries() {
        return index.entries();
    }

    public String trustDomain() {
        return index.trustDomain();
    }

    public X509Certificate caCertificate() {
        return issuer.caCertificate();
    }

    /** The signer of this CA, for forging deliberately wrong certificates in tests and audits. */
    public CertificateIssuer issuer() {
        return issuer;
    }

    /** Where this CA's files are. */
    public PkiLayout layout() {
        return layout;
    }

    private IssuedCertificate issue(SpiffeId.Kind kind, String name, boolean force, CertificateRequest request) {
        Path certFile = kind == SpiffeId.Kind.NODE ? layout.nodeCert(name) : layout.userCert(name);
        Path keyFile = kind == SpiffeId.Kind.NODE ? layout.nodeKey(name) : layout.userKey(name);
        if (!force && Files.exists(certFile)) {
            throw new PkiException(certFile + ": " + kind.label() + " '" + name
                    + "' already has a certificate (use --force to re-issue it)");
        }
        IssuedCertificate issued = issuer.issue(request);
        PemFiles.writePrivateKey(keyFile, issued.privateKey());
        PemFiles.writeCertificates(certFile, issued.certificate());
        index = index.with(IndexEntry.of(kind, name, issued));
        index.write(layout.index());
        return issued;
    }

    private IndexEntry markRevoked(IndexEntry entry) {
        IndexEntry revoked = entry.revokedAt(CertificateRequest.now());
        index = index.replacing(entry, revoked);
        refreshCrl();
        return revoked;
    }

    private KeyType keyType() {
        return KeyType.of(caCertificate().getPublicKey());
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE_DIR)));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new PkiException(dir + ": exists and is not a directory");
            }
        } catch (IOException e) {
            throw new PkiException(dir + ": cannot create directory: " + e.getMessage(), e);
        }
    }

    private static void requireDnsName(String dns) {
        if (!DNS_NAME.matcher(dns).matches()) {
            throw new PkiException("invalid DNS name '" + dns + "': letters, digits and '-' in dot-separated labels");
        }
    }

    private static void requireIpAddress(String ip) {
        if (!NetUtil.isValidIpV4Address(ip) && !NetUtil.isValidIpV6Address(ip)) {
            throw new PkiException(
                    "invalid IP address '" + ip + "': expected an IPv4 or IPv6 literal such as 10.0.0.5");
        }
    }

    private static void requirePositiveDays(int days) {
        if (days <= 0) {
            throw new PkiException("invalid validity " + days + " days: must be at least 1");
        }
    }
}
