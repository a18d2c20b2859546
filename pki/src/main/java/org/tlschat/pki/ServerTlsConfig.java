package org.tlschat.pki;

import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;

/**
 * A server's TLS settings. With {@code requireClientCert} (mTLS) every client must present a
 * certificate of {@code clientKind}; without it (password mode) no client certificate is asked for.
 */
public record ServerTlsConfig(
        Path certPem,
        Path keyPem,
        TrustMaterial trust,
        boolean requireClientCert,
        SpiffeId.Kind clientKind,
        TlsVersion version,
        SslProvider provider) {}
