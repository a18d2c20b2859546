package org.tlschat.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a peer is checked against: the CA certificate (the only trust anchor, carrying the trust
 * domain as its {@code spiffe://td} URI SAN) and the current CRL, which {@link #reloadCrl()} swaps
 * atomically while connections are being verified.
 */
public final class TrustMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TrustMaterial.class);

    private final X509Certificate caCertificate;
    private final String trustDomain;
    private final Path crlFile;
    private final AtomicReference<X509CRL> crl = new AtomicReference<>();

    private TrustMaterial(X509Certificate caCertificate, String trustDomain, Path crlFile) {
        this.caCertificate = caCertificate;
        this.trustDomain = trustDomain;
        this.crlFile = crlFile;
    }

    /** Loads ca.pem and, unless {@code crlPemOrNull} is null, a CRL that must be signed by that CA. */
    public static TrustMaterial load(Path caPem, Path crlPemOrNull) {
        X509Certificate ca = PemFiles.readCertificate(caPem);
        TrustMaterial trust = new TrustMaterial(ca, trustDomainOf(ca, caPem), crlPemOrNull);
        if (crlPemOrNull != null) {
            trust.reloadCrl();
        }
        return trust;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public String trustDomain() {
        return trustDomain;
    }

    /** True when the current CRL lists this certificate. A CRL past its next update is still used. */
    public boolean isRevoked(X509Certificate cert) {
        X509CRL current = crl.get();
        return current != null && current.isRevoked(cert);
    }

    /** True when the current CRL lists this serial: for sessions whose handshake predates the CRL. */
    public boolean isRevoked(BigInteger serial) {
        X509CRL current = crl.get();
        return current != null && current.getRevokedCertificate(serial) != null;
    }

    /** The CRL file this material reloads from, or null when revocation is not checked. */
    public Path crlFile() {
        return crlFile;
    }

    /**
     * Re-reads the CRL file. A CRL that does not parse, is not signed by the CA, or is older than
     * the one in force (a lower CRL number, or none where the current one has a number) is refused
     * with a {@link PkiException} and the previous one stays in force: a validly signed old CRL
     * copied over crl.pem must not undo a revocation.
     */
    public synchronized void reloadCrl() {
        if (crlFile == null) {
            throw new PkiException("no CRL file was configured for this trust material");
        }
        X509CRL next = PemFiles.readCrl(crlFile);
        try {
            if (!next.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal())) {
                throw new PkiException(crlFile + ": CRL issued by " + next.getIssuerX500Principal() + ", not by the CA "
                        + caCertificate.getSubjectX500Principal() + "; keeping the previous CRL");
            }
            next.verify(caCertificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException(
                    crlFile + ": CRL signature does not verify with the CA; keeping the previous CRL", e);
        }
        requireNotOlder(next);
        if (next.getNextUpdate() != null && next.getNextUpdate().before(new Date())) {
            LOG.warn(
                    "{}: CRL is past its next update ({}); still enforcing it - re-sign it with 'tlschat pki crl'",
                    crlFile,
                    next.getNextUpdate().toInstant());
        }
        crl.set(next);
    }

    private void requireNotOlder(X509CRL next) {
        X509CRL current = crl.get();
        BigInteger loaded = current == null ? null : crlNumber(current);
        if (loaded == null) {
            return;
        }
        BigInteger offered = crlNumber(next);
        if (offered == null || offered.compareTo(loaded) < 0) {
            throw new PkiException(crlFile + ": CRL number " + (offered == null ? "missing" : offered)
                    + " is older than the CRL in force (number " + loaded
                    + "); keeping the newer one - an old crl.pem must not undo a revocation");
        }
    }

    /** The CRL's cRLNumber extension (RFC 5280 5.2.3), or null when it has none. */
    static BigInteger crlNumber(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (extension == null) {
            return null;
        }
        try {
            return ASN1Integer.getInstance(
                            ASN1OctetString.getInstance(extension).getOctets())
                    .getValue();
        } catch (IllegalArgumentException e) {
            throw new PkiException("unreadable CRL number: " + e.getMessage(), e);
        }
    }

    private static String trustDomainOf(X509Certificate ca, Path caPem) {
        try {
            List<String> uris = SpiffeId.spiffeUris(ca);
            if (uris.size() == 1) {
                String domain = uris.get(0).substring(SpiffeId.SCHEME_PREFIX.length());
                if (Names.isValidTrustDomain(domain)) {
                    return domain;
                }
            }
        } catch (CertificateParsingException e) {
            throw new PkiException(caPem + ": unreadable subject alternative names: " + e.getMessage(), e);
        }
        throw new PkiException(caPem + ": not a tlschat CA (expected one URI SAN spiffe://<trust-domain>)");
    }
}
