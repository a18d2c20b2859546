package org.tlschat.client.audit;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.CertificateIssuer;
import org.tlschat.pki.CertificateRequest;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.IssuedCertificate;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

/**
 * The server under audit and the means to attack it: the CA of the PKI directory (to forge
 * certificates, kept in a temporary directory deleted on {@link #close()}), and connections that
 * verify the server against that CA.
 */
final class AuditTarget implements AutoCloseable {
    /** A certificate file and its key file. */
    record Credentials(Path cert, Path key) {}

    /** A password-mode login. */
    record Password(String user, String password) {}

    /** Why {@link #session} returned null. */
    static final String NO_SESSION = "password mode without --password-user";

    private static final int DAYS = 1;
    private final HostPort server;
    private final HostPort cluster;
    private final HostPort admin;
    private final Password password;
    private final CertificateAuthority ca;
    private final TrustMaterial trust;
    private final Path forged;
    private final String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private Boolean passwordMode;

    AuditTarget(HostPort server, HostPort cluster, HostPort admin, Path pkiDir, Password password) throws IOException {
        this.server = server;
        this.cluster = cluster;
        this.admin = admin;
        this.password = password;
        this.ca = CertificateAuthority.open(pkiDir);
        this.trust = TrustMaterial.load(ca.layout().caCert(), null);
        this.forged = Files.createTempDirectory("tlschat-audit-");
    }

    HostPort server() {
        return server;
    }

    /** The cluster port, or null when not audited. */
    HostPort cluster() {
        return cluster;
    }

    /** The server's admin HTTP port (its /metrics), or null when not given. */
    HostPort admin() {
        return admin;
    }

    /** The password login, or null. */
    Password password() {
        return password;
    }

    CertificateAuthority ca() {
        return ca;
    }

    /** A name no real user has: audit-RUN-label. */
    String name(String label) {
        return "audit-" + runId + "-" + label;
    }

    /** A valid user certificate of the CA that is not recorded in its index. */
    Credentials user(String label) {
        return forge(label, ca.issuer(), userRequest(label));
    }

    CertificateRequest userRequest(String label) {
        return CertificateRequest.user(ca.trustDomain(), name(label), KeyType.EC, DAYS);
    }

    CertificateRequest nodeRequest(String label) {
        return CertificateRequest.node(ca.trustDomain(), name(label), List.of(), List.of(), KeyType.EC, DAYS);
    }

    /** A CA of the same trust domain that nobody trusts. */
    CertificateIssuer rogueCa() {
        Instant now = Instant.now();
        IssuedCertificate rogue = CertificateIssuer.selfSignedCa(
                ca.trustDomain(), KeyType.EC, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(DAYS)));
        return new CertificateIssuer(rogue.certificate(), rogue.privateKey());
    }

    Credentials forge(String label, CertificateIssuer issuer, CertificateRequest request) {
        IssuedCertificate issued = issuer.issue(request);
        Credentials files = new Credentials(forged.resolve(label + ".pem"), forged.resolve(label + ".key"));
        PemFiles.writeCertificates(files.cert(), issued.certificate());
        PemFiles.writePrivateKey(files.key(), issued.privateKey());
        return files;
    }

    /** A JDK client context presenting {@code credentials} (none if null), verifying a node server. */
    SSLContext tls(Credentials credentials) throws IOException {
        return ((JdkSslContext) TlsContexts.client(new ClientTlsConfig(
                        trust,
                        credentials == null ? null : credentials.cert(),
                        credentials == null ? null : credentials.key(),
                        SpiffeId.Kind.NODE,
                        TlsVersion.TLS12,
                        SslProvider.JDK)))
                .context();
    }

    Probe connect(Credentials credentials) throws IOException {
        return connect(server, credentials, List.of("TLSv1.3"));
    }

    Probe connect(HostPort at, Credentials credentials, List<String> protocols) throws IOException {
        return Probe.open(tls(credentials), at, protocols);
    }

    /** True when the server asks for AUTH instead of a client certificate. */
    boolean passwordMode() throws IOException {
        if (passwordMode == null) {
            try (Probe probe = connect(user("mode"))) {
                passwordMode = probe.read() instanceof ServerFrame.AuthRequired;
            }
        }
        return passwordMode;
    }

    /** A session past WELCOME: a forged user certificate (mtls), or the given password; null if impossible. */
    Probe session(String label) throws IOException {
        if (!passwordMode()) {
            Probe probe = connect(user(label));
            return expectWelcome(probe);
        }
        if (password == null) {
            return null;
        }
        Probe probe = connect(null);
        probe.read();
        probe.send(new Request.Auth("a", password.user(), password.password()));
        return expectWelcome(probe);
    }

    private static Probe expectWelcome(Probe probe) throws IOException {
        String first = probe.firstAnswer();
        if (!first.equals("WELCOME")) {
            probe.close();
            throw new IOException("a legitimate session was not welcomed: " + first);
        }
        return probe;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(forged)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
