package org.tlschat.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.tlschat.pki.Refusal;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;

/**
 * Turns what Netty, the JDK SSLEngine or OpenSSL (BoringSSL) report into one line for a person.
 * Failures of our own check of the server's certificate are recognised by their {@link Refusal};
 * refusals by the server by the TLS alert it sent ({@link ServerAlert}).
 */
final class Failures {
    /**
     * The TLS alerts by which a server refuses our certificate, in the order they are looked for, with
     * what each means to a person. They come from the server's TLS stack, so only their names are known:
     * the JDK reports "Received fatal alert: certificate_revoked", BoringSSL
     * "...:SSLV3_ALERT_CERTIFICATE_REVOKED".
     */
    private enum ServerAlert {
        CERTIFICATE_REVOKED("the server refused your certificate: it is revoked"),
        CERTIFICATE_EXPIRED("the server refused your certificate: it has expired"),
        UNKNOWN_CA("the server refused your certificate: it is not from the server's CA"),
        CERTIFICATE_REQUIRED("the server requires a client certificate"),
        BAD_CERTIFICATE("the server refused your certificate"),
        CERTIFICATE_UNKNOWN("the server refused your certificate"),
        UNSUPPORTED_CERTIFICATE("the server refused your certificate");

        /** The alert's name as it appears, lower-cased, in both stacks' messages. */
        private final String alert = name().toLowerCase(Locale.ROOT);

        private final String description;

        ServerAlert(String description) {
            this.description = description;
        }

        /** The first of these alerts named in {@code messages} (lower-cased), or null. */
        static ServerAlert in(String messages) {
            return Stream.of(values())
                    .filter(a -> messages.contains(a.alert))
                    .findFirst()
                    .orElse(null);
        }
    }

    private Failures() {}

    /** Why a connection to {@code address} gave no session: {@code failure} itself when it says, else wrapped. */
    static ConnectFailure connectFailure(HostPort address, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ConnectFailure connectFailure
                ? connectFailure
                : new ConnectFailure("connection to " + address + " failed: " + cause.getMessage(), cause);
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
        } else if (cause instanceof ConnectException
                && lower(cause.getMessage()).contains("refused")) {
            why = "connection refused";
        } else {
            String message = cause.getMessage();
            why = message == null ? cause.getClass().getSimpleName() : lower(firstPart(message));
        }
        return new ConnectFailure("cannot reach " + server + ": " + why, cause, ConnectFailure.Kind.UNREACHABLE);
    }

    /** The TLS handshake, or the first read after it, failed with {@code cause}. */
    static ConnectFailure tls(HostPort server, Path ca, Throwable cause) {
        return new ConnectFailure(
                describeTls(server, ca, cause),
                cause,
                refusedOurCertificate(cause) ? ConnectFailure.Kind.REFUSED : ConnectFailure.Kind.FAILED);
    }

    /** True when the server's alert says it refuses our certificate (not when we refused the server's). */
    private static boolean refusedOurCertificate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException) {
                return false;
            }
        }
        return ServerAlert.in(allMessages(cause)) != null;
    }

    static String describeTls(HostPort server, Path ca, Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "the TLS handshake with " + server + " timed out (is it a tlschat server?)";
        }
        // 1. our own check of the server's certificate
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException refused) {
                return describeRefusal(server, ca, refused);
            }
        }
        // 2. an alert sent by the server
        String all = allMessages(cause);
        ServerAlert alert = ServerAlert.in(all);
        if (alert != null) {
            return alert.description;
        }
        if (all.contains("internal_error")) {
            // BoringSSL servers answer a client certificate their trust manager rejects for a reason
            // Netty does not translate (e.g. an unknown CA) with internal_error
            return "the server refused the TLS session (internal_error alert): "
                    + "it probably does not accept your certificate";
        }
        if (all.contains("protocol_version")
                || all.contains("unsupported_protocol")
                || all.contains("no appropriate protocol")) {
            return "the server at " + server + " does not accept this TLS version";
        }
        if (all.contains("no_application_protocol")) {
            return "the server at " + server + " does not speak " + Limits.ALPN;
        }
        if (all.contains("handshake_failure")) {
            return "the server at " + server
                    + " refused the TLS handshake (no common parameters, or a client certificate is required)";
        }
        if (all.contains("wrong_version_number")
                || all.contains("not an ssl/tls record")
                || all.contains("unsupported or unrecognized ssl message")
                || all.contains("http_request")) {
            return server + " does not speak TLS (is it a tlschat server?)";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return (isTls(cause) ? "TLS with " : "connection to ") + server + " failed: " + firstPart(message);
    }

    /** Our refusal of the server's certificate ({@code refused}, from PeerVerifier) in a person's words. */
    private static String describeRefusal(HostPort server, Path ca, CertificateException refused) {
        Refusal refusal = Refusal.of(refused).orElse(null);
        String other = "the server's certificate was refused: " + firstPart(refused.getMessage());
        if (refusal == null) {
            return other;
        }
        return switch (refusal) {
            case HOSTNAME_MISMATCH ->
                "the server's certificate does not name '" + server.host() + "' (hostname mismatch)";
            case UNKNOWN_CA, INVALID_PATH -> "the server's certificate is not from your CA (" + ca + ")";
            case EXPIRED -> "the server's certificate has expired";
            case NOT_YET_VALID -> "the server's certificate is not yet valid (check the clocks)";
            case REVOKED -> "the server's certificate is revoked";
            case WRONG_IDENTITY ->
                "the server's certificate is not a tlschat server (node) certificate of your CA (" + ca + ")";
            case NO_CERTIFICATE, WRONG_KEY_USAGE, NO_IDENTITY, HOST_UNKNOWN -> other;
        };
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
