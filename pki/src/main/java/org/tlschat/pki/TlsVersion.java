package org.tlschat.pki;

import java.util.List;

/** The TLS versions a context accepts: 1.3 only, or 1.3 and 1.2 (ECDHE + AEAD suites only). Never older. */
public enum TlsVersion {
    TLS13(List.of("TLSv1.3")),
    TLS12(List.of("TLSv1.3", "TLSv1.2"));

    /** TLS 1.3 suites, then the TLS 1.2 ones: forward secret (ECDHE) and authenticated encryption only. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final List<String> protocols;

    TlsVersion(List<String> protocols) {
        this.protocols = protocols;
    }

    public List<String> protocols() {
        return protocols;
    }
}
