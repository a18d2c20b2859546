package org.tlschat.pki;

import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;

/**
 * A client's TLS settings: the server must present a certificate of {@code serverKind} naming the
 * dialled host; the client presents {@code certPemOrNull}/{@code keyPemOrNull} when both are given.
 */
public record ClientTlsConfig(
        TrustMaterial trust,
        Path certPemOrNull,
        Path keyPemOrNull,
        SpiffeId.Kind serverKind,
        TlsVersion version,
        SslProvider provider) {

    public ClientTlsConfig {
        if ((certPemOrNull == null) != (keyPemOrNull == null)) {
            throw new PkiException("a client certificate needs both its certificate and its key file");
        }
    }
}
