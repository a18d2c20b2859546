package org.tlschat.pki;

import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of every tlschat TLS context. A peer's certificate must, in this order:
 * be within its validity period, chain to the CA (PKIX), not be on the CRL, carry the extended
 * key usage of its role (clientAuth for clients, serverAuth for servers), carry exactly one
 * SPIFFE ID of the expected kind in the CA's trust domain, and, when the local side is a client
 * with endpoint identification "HTTPS", name the dialled host in a DNS or IP SAN.
 *
 * <p>Expired and revoked certificates fail with exceptions that both the JDK and OpenSSL turn into
 * the {@code certificate_expired} and {@code certificate_revoked} alerts; with OpenSSL, a chain to
 * another CA gets {@code unknown_ca} and any other wrong certificate {@code bad_certificate}
 * ({@link RefusalAlert}). Every refusal carries its {@link Refusal}.
 *
 * <p>A resumed TLS session (a TLS 1.3 ticket, a TLS 1.2 session id) skips the certificate
 * exchange, so neither the JDK nor OpenSSL calls a trust manager for it. Servers therefore use
 * {@link #resumptionChecking()}: see {@link ResumptionChecking}.
 */
public final class PeerVerifier extends X509ExtendedTrustManager {
    private final TrustMaterial trust;
    private final SpiffeId.Kind expectedPeerKind;

    public PeerVerifier(TrustMaterial trust, SpiffeId.Kind expectedPeerKind) {
        this.trust = trust;
        this.expectedPeerKind = expectedPeerKind;
    }

    /** Runs every check on a client's chain and returns its identity. */
    public SpiffeId verifyClient(X509Certificate[] chain) throws CertificateException {
        return verify(chain, KeyPurpose.CLIENT_AUTH);
    }

    /** Runs every check but the hostname on a server's chain and returns its identity. */
    public SpiffeId verifyServer(X509Certificate[] chain) throws CertificateException {
        return verify(chain, KeyPurpose.SERVER_AUTH);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifyClient(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verifyClient(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verifyClient(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifyServer(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verifyServer(chain);
        if (socket instanceof SSLSocket sslSocket) {
            SSLSession handshake = sslSocket.getHandshakeSession();
            verifyHostname(chain[0], sslSocket.getSSLParameters(), handshake == null ? null : handshake.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verifyServer(chain);
        if (engine != null) {
            verifyHostname(chain[0], engine.getSSLParameters(), engine.getPeerHost());
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {trust.caCertificate()};
    }

    private SpiffeId verify(X509Certificate[] chain, KeyPurpose purpose) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw Refusal.NO_CERTIFICATE.exception("no certificate presented");
        }
        X509Certificate leaf = chain[0];
        checkValidity(leaf);
        checkChain(chain);
        if (trust.isRevoked(leaf)) {
            throw Refusal.REVOKED.exception(
                    "certificate is revoked (serial " + leaf.getSerialNumber().toString(16) + ")",
                    new CertPathValidatorException("certificate is revoked", null, null, -1, BasicReason.REVOKED));
        }
        List<String> purposes = leaf.getExtendedKeyUsage();
        if (purposes == null || !purposes.contains(purpose.oid())) {
            throw Refusal.WRONG_KEY_USAGE.exception("certificate lacks extended key usage " + purpose.rfcName());
        }
        return checkIdentity(leaf);
    }

    private static void checkValidity(X509Certificate leaf) throws CertificateException {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw Refusal.EXPIRED.exception(
                    "certificate has expired (not after " + leaf.getNotAfter().toInstant() + ")");
        } catch (CertificateNotYetValidException e) {
            throw Refusal.NOT_YET_VALID.exception("certificate is not yet valid (not before "
                    + leaf.getNotBefore().toInstant() + ")");
        }
    }

    /** PKIX path validation to the CA; revocation is ours (the CRL), not PKIX's. */
    private void checkChain(X509Certificate[] chain) throws CertificateException {
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        path.removeIf(cert -> cert.equals(trust.caCertificate()));
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trust.caCertificate(), null)));
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR || e.getReason() == BasicReason.INVALID_SIGNATURE) {
                throw Refusal.UNKNOWN_CA.exception(
                        "issued by an unknown CA (" + chain[0].getIssuerX500Principal() + "), expected "
                                + trust.caCertificate().getSubjectX500Principal(),
                        e);
            }
            throw Refusal.INVALID_PATH.exception("certificate path does not validate: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw Refusal.INVALID_PATH.exception("certificate path does not validate: " + e.getMessage(), e);
        }
    }

    private SpiffeId checkIdentity(X509Certificate leaf) throws CertificateException {
        SpiffeId id;
        try {
            id = SpiffeId.of(leaf);
        } catch (CertificateException e) {
            throw Refusal.NO_IDENTITY.exception(e.getMessage(), e);
        }
        if (id.kind() != expectedPeerKind || !id.trustDomain().equals(trust.trustDomain())) {
            throw Refusal.WRONG_IDENTITY.exception("expected a " + expectedPeerKind.label() + " identity spiffe://"
                    + trust.trustDomain() + "/" + expectedPeerKind.label() + "/<name>, got " + id.uri());
        }
        return id;
    }

    private static void verifyHostname(X509Certificate leaf, SSLParameters parameters, String host)
            throws CertificateException {
        if ("HTTPS".equalsIgnoreCase(parameters.getEndpointIdentificationAlgorithm())) {
            if (host == null || host.isEmpty()) {
                throw Refusal.HOST_UNKNOWN.exception("hostname verification is on but the peer host is unknown");
            }
            HostnameMatcher.requireMatch(host, leaf);
        }
    }

    /** This verifier, also asked about resumed sessions; for Netty server contexts (see {@link ResumptionChecking}). */
    public ResumptionChecking resumptionChecking() {
        return new ResumptionChecking(this);
    }

    /**
     * A {@link PeerVerifier} that Netty also asks about resumed sessions, on either provider
     * ({@link ResumableX509ExtendedTrustManager}): {@link #resumeClientTrusted} and
     * {@link #resumeServerTrusted} run every check again on the certificates of the resumed
     * session, so a certificate revoked or expired since its last full handshake cannot resume; the
     * refusal fails the handshake like a full one. Netty refuses the {@code Socket} variants of a
     * resumable trust manager, so only engine-based contexts use it (every server context); the
     * cluster port's {@code SSLContext} for JGroups' sockets turns resumption off instead.
     */
    public static final class ResumptionChecking extends X509ExtendedTrustManager
            implements ResumableX509ExtendedTrustManager {
        private final PeerVerifier verifier;

        private ResumptionChecking(PeerVerifier verifier) {
            this.verifier = verifier;
        }

        @Override
        public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
            verifier.verifyClient(chain);
        }

        @Override
        public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
            verifier.checkServerTrusted(chain, null, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verifier.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verifier.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verifier.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verifier.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verifier.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verifier.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return verifier.getAcceptedIssuers();
        }
    }
}
