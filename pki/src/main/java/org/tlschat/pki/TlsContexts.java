package org.tlschat.pki;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.Limits;

/** Builds the Netty SSL contexts of tlschat servers and clients, all verified by {@link PeerVerifier}. */
public final class TlsContexts {
    /** {@code -Dtlschat.tls.provider=jdk} forces the JDK provider even when OpenSSL is available. */
    public static final String PROVIDER_PROPERTY = "tlschat.tls.provider";

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {}

    /** OPENSSL (netty-tcnative BoringSSL) when available and not overridden, else JDK; logged once. */
    public static SslProvider provider() {
        return ProviderChoice.PROVIDER;
    }

    /**
     * A server context. A client resuming a TLS session is checked again like a full handshake
     * ({@link PeerVerifier.ResumptionChecking}), so resumption cannot outlive a revocation or expiry.
     */
    public static SslContext server(ServerTlsConfig config) throws SSLException {
        List<X509Certificate> chain = PemFiles.readCertificates(config.certPem());
        PrivateKey key = PemFiles.readPrivateKey(config.keyPem());
        return SslContextBuilder.forServer(key, chain)
                .sslProvider(config.provider())
                .trustManager(new PeerVerifier(config.trust(), config.clientKind()).resumptionChecking())
                .clientAuth(config.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.NONE)
                .protocols(config.version().protocols())
                .ciphers(TlsVersion.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(alpn())
                .build();
    }

    /** A client context; create handlers with {@code newHandler(alloc, host, port)} so the host is verified. */
    public static SslContext client(ClientTlsConfig config) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(config.provider())
                .trustManager(new PeerVerifier(config.trust(), config.serverKind()))
                .endpointIdentificationAlgorithm("HTTPS")
                .protocols(config.version().protocols())
                .ciphers(TlsVersion.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(alpn());
        if (config.certPemOrNull() != null) {
            builder.keyManager(
                    PemFiles.readPrivateKey(config.keyPemOrNull()), PemFiles.readCertificates(config.certPemOrNull()));
        }
        return builder.build();
    }

    /**
     * The identity of the peer of a completed handshake (which {@link PeerVerifier} has already
     * checked); SSLPeerUnverifiedException if the peer presented no usable certificate.
     */
    public static SpiffeId peerIdentity(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SSLPeerUnverifiedException("peer presented no X.509 certificate");
        }
        try {
            return SpiffeId.of(leaf);
        } catch (CertificateException e) {
            SSLPeerUnverifiedException unverified = new SSLPeerUnverifiedException(e.getMessage());
            unverified.initCause(e);
            throw unverified;
        }
    }

    /** Clients offer {@link Limits#ALPN}; servers select it when offered and also accept clients offering nothing. */
    private static ApplicationProtocolConfig alpn() {
        return new ApplicationProtocolConfig(
                Protocol.ALPN,
                SelectorFailureBehavior.NO_ADVERTISE,
                SelectedListenerFailureBehavior.ACCEPT,
                Limits.ALPN);
    }

    /** Which TLS implementation is in use and why, for a server's start-up line. */
    public static String providerDescription() {
        return ProviderChoice.DESCRIPTION;
    }

    private static final class ProviderChoice {
        static final SslProvider PROVIDER = choose();
        static final String DESCRIPTION = describe(PROVIDER);

        private static SslProvider choose() {
            if ("jdk".equalsIgnoreCase(System.getProperty(PROVIDER_PROPERTY))) {
                return SslProvider.JDK;
            }
            return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }

        private static String describe(SslProvider provider) {
            String description;
            if (provider == SslProvider.OPENSSL) {
                description = "OpenSSL (" + OpenSsl.versionString() + ")";
            } else if ("jdk".equalsIgnoreCase(System.getProperty(PROVIDER_PROPERTY))) {
                description = "JDK (forced by -D" + PROVIDER_PROPERTY + "=jdk)";
            } else {
                description = "JDK (OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")";
            }
            LOG.debug("TLS provider: {}", description);
            return description;
        }
    }
}
