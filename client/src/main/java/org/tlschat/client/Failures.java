package org.tlschat.client;

import org.tlschat.protocol.HostPort;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * Turns what Netty, the JDK SSLEngine or OpenSSL (BoringSSL) report into one line for a person.
 * Failures of our own check of the server's certificate are recognised by the messages of
 * {@link org.tlschat.pki.PeerVerifier}; refusals by the server by the TLS alert it sent, which the
 * JDK reports as "Received fatal alert: certificate_revoked" and BoringSSL as
 * "...:SSLV3_ALERT_CERTIFICATE_REVOKED".
 */
final class Failures {
    private Failures() {
    }

    /** The TCP connection to {@code server} failed. */
    static ConnectFailure unreachable(HostPort server, Throwable cause) {
        String why;
        if (cause instanceof ConnectTimeoutException) {
            why = "connection timed out";
        } else if (cause instanceof UnknownHostException) {
            why = "unknown host '" + server.host() + "'";
        } else if (cause instanceof NoRouteToHostException) {
            why = "no route to host";
        } else if (cause instanceof ConnectException && lower(cause.getMessage()).contains("refused")) {
            why = "connection refused";
        } else {
            String message = cause.getMessage();
            why = message == null ? cause.getClass().getSimpleName() : lower(firstPart(message));
        }
        return new ConnectFailure("cannot reach " + server + ": " + why, cause, ConnectFailure.Kind.UNREACHABLE);
    }

    /** The TLS handshake, or the first read after it, failed with {@code cause}. */
    static ConnectFailure tls(HostPort server, Path ca, Throwable cause) {
        return new ConnectFailure(describeTls(server, ca, cause), cause,
                refusedOurCertificate(cause) ? ConnectFailure.Kind.REFUSED : ConnectFailure.Kind.FAILED);
    }

    /** True when the server's alert says it refuses our certificate (not when we refused the server's). */
    private static boolean refusedOurCertificate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException) {
                return false;
            }
        }
        String all = allMessages(cause);
        return Stream.of("certificate_revoked", "certificate_expired", "unknown_ca", "certificate_required",
                "bad_certificate", "certificate_unknown", "unsupported_certificate").anyMatch(all::contains);
    }

    static String describeTls(HostPort server, Path ca, Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "the TLS handshake with " + server + " timed out (is it a tlschat server?)";
        }
        // 1. our own check of the server's certificate (PeerVerifier's wording)
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                String m = lower(t.getMessage());
                if (m.contains("does not match host")) {
                    return "the server's certificate does not name '" + server.host() + "' (hostname mismatch)";
                }
                if (m.contains("unknown ca") || m.contains("path does not validate")) {
                    return "the server's certificate is not from your CA (" + ca + ")";
                }
                if (m.contains("has expired")) {
                    return "the server's certificate has expired";
                }
                if (m.contains("not yet valid")) {
                    return "the server's certificate is not yet valid (check the clocks)";
                }
                if (m.contains("revoked")) {
                    return "the server's certificate is revoked";
                }
                if (m.contains("expected a node identity")) {
                    return "the server's certificate is not a tlschat server (node) certificate of your CA (" + ca + ")";
                }
                return "the server's certificate was refused: " + firstPart(t.getMessage());
            }
        }
        // 2. an alert sent by the server
        String all = allMessages(cause);
        if (all.contains("certificate_revoked")) {
            return "the server refused your certificate: it is revoked";
        }
        if (all.contains("certificate_expired")) {
            return "the server refused your certificate: it has expired";
        }
        if (all.contains("unknown_ca")) {
            return "the server refused your certificate: it is not from the server's CA";
        }
        if (all.contains("certificate_required")) {
            return "the server requires a client certificate";
        }
        if (all.contains("bad_certificate") || all.contains("certificate_unknown")
                || all.contains("unsupported_certificate")) {
            return "the server refused your certificate";
        }
        if (all.contains("internal_error")) {
            // BoringSSL servers answer a client certificate their trust manager rejects for a reason
            // Netty does not translate (e.g. an unknown CA) with internal_error
            return "the server refused the TLS session (internal_error alert): it probably does not accept your certificate";
        }
        if (all.contains("protocol_version") || all.contains("unsupported_protocol")
                || all.contains("no appropriate protocol")) {
            return "the server at " + server + " does not accept this TLS version";
        }
        if (all.contains("no_application_protocol")) {
            return "the server at " + server + " does not speak " + org.tlschat.protocol.Limits.ALPN;
        }
        if (all.contains("handshake_failure")) {
            return "the server at " + server + " refused the TLS handshake (no common parameters, or a client certificate is required)";
        }
        if (all.contains("wrong_version_number") || all.contains("not an ssl/tls record")
                || all.contains("unsupported or unrecognized ssl message") || all.contains("http_request")) {
            return server + " does not speak TLS (is it a tlschat server?)";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return (isTls(cause) ? "TLS with " : "connection to ") + server + " failed: " + firstPart(message);
    }

    /** True when {@code cause} is the server refusing our certificate or our handshake (an alert). */
    static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String allMessages(Throwable cause) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(' ').append(lower(t.getMessage()));
            for (Throwable suppressed : t.getSuppressed()) {
                all.append(' ').append(lower(suppressed.getMessage()));
            }
        }
        // BoringSSL: SSLV3_ALERT_CERTIFICATE_REVOKED, TLSV1_ALERT_UNKNOWN_CA, TLSV1_CERTIFICATE_REQUIRED
        return all.toString();
    }

    private static String lower(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }

    private static String firstPart(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
