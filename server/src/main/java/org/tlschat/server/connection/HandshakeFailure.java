package org.tlschat.server.connection;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateRevokedException;
import java.util.Locale;

/** A short, stable label for why a TLS handshake failed, for logs and metrics. */
final class HandshakeFailure {
    private HandshakeFailure() {
    }

    static String classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return "timeout";
            }
            if (t instanceof CertificateRevokedException) {
                return "revoked";
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "expired";
            }
            if (t instanceof CertPathValidatorException invalid) {
                return invalid.getReason() == CertPathValidatorException.BasicReason.REVOKED ? "revoked" : "untrusted";
            }
        }
        // the OpenSSL engine wraps the trust manager's exception: read the messages of the whole chain
        StringBuilder messages = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        String text = messages.toString().toLowerCase(Locale.ROOT);
        if (text.contains("certificate_required") || text.contains("peer_did_not_return_a_certificate")
                || text.contains("empty") && text.contains("certificate")) {
            return "no_certificate";
        }
        if (text.contains("revoked")) {
            return "revoked";
        }
        if (text.contains("expired")) {
            return "expired";
        }
        if (text.contains("protocol") || text.contains("version")) {
            return "protocol";
        }
        if (text.contains("certificate") || text.contains("identity") || text.contains("usage")) {
            return "bad_certificate";
        }
        return "other";
    }
}
