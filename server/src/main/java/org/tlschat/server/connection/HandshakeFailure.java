package org.tlschat.server.connection;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.util.Locale;
import org.tlschat.pki.Refusal;

/**
 * A short, stable label for why a TLS handshake failed, for logs and metrics: from the {@link Refusal}
 * when our verifier refused the client's certificate, else from what the TLS stack reported.
 */
final class HandshakeFailure {
    private HandshakeFailure() {}

    static String classify(Throwable cause) {
        return Refusal.of(cause).map(HandshakeFailure::label).orElseGet(() -> fromTlsStack(cause));
    }

    private static String label(Refusal refusal) {
        return switch (refusal) {
            case NO_CERTIFICATE -> "no_certificate";
            case EXPIRED, NOT_YET_VALID -> "expired";
            case REVOKED -> "revoked";
            case UNKNOWN_CA, INVALID_PATH -> "untrusted";
            case WRONG_KEY_USAGE, NO_IDENTITY, WRONG_IDENTITY, HOST_UNKNOWN, HOSTNAME_MISMATCH -> "bad_certificate";
        };
    }

    /** Failures before our verifier ran: a timeout, no certificate at all, a protocol or version mismatch. */
    private static String fromTlsStack(Throwable cause) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return "timeout";
            }
            messages.append(t.getMessage()).append('\n');
        }
        String text = messages.toString().toLowerCase(Locale.ROOT);
        if (text.contains("certificate_required")
                || text.contains("peer_did_not_return_a_certificate")
                || text.contains("empty") && text.contains("certificate")) {
            return "no_certificate";
        }
        if (text.contains("protocol") || text.contains("version")) {
            return "protocol";
        }
        if (text.contains("certificate")) {
            return "bad_certificate";
        }
        return "other";
    }
}
