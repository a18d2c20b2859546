package org.tlschat.pki;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertificateException;

/**
 * The TLS alert a peer refused by {@link PeerVerifier} receives. Netty's OpenSSL engine turns a
 * plain {@link CertificateException} into {@code X509_V_ERR_UNSPECIFIED}, which BoringSSL sends as
 * {@code internal_error}; an {@link OpenSslCertificateException} carries the verify error that
 * names the real reason. The JDK engine sends {@code certificate_unknown} for any of them.
 */
enum RefusalAlert {
    /** {@code unknown_ca}: the chain does not lead to our CA. */
    UNKNOWN_CA,
    /** {@code bad_certificate}: a certificate of our CA that is wrong for this use. */
    BAD_CERTIFICATE;

    CertificateException exception(String message, Throwable cause) {
        if (!OpenSsl.isAvailable()) {
            return new CertificateException(message, cause);
        }
        return new OpenSslCertificateException(message, cause, verifyError());
    }

    CertificateException exception(String message) {
        return exception(message, null);
    }

    /** Only called when netty-tcnative is loaded: its constants come from the native library. */
    private int verifyError() {
        return switch (this) {
            case UNKNOWN_CA -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
            case BAD_CERTIFICATE -> CertificateVerifier.X509_V_ERR_CERT_REJECTED;
        };
    }
}
