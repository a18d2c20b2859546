package org.tlschat.client.audit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ClientOptions;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.client.audit.AuditTarget.Credentials;
import org.tlschat.pki.CertificateIssuer;
import org.tlschat.pki.IssuedCertificate;
import org.tlschat.pki.KeyPurpose;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.SpiffeId;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

/**
 * Every attack of docs/security.md that can be run from outside against a live server, in the
 * order of the table. Each is bounded in connections and time and closes what it opens.
 */
final class Attacks {
    /** PROTOCOL.md §6: a revoked certificate's session ends within this. */
    static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(5);
    /** Connections of the burst: enough to notice a server that serialises handshakes, not a DoS. */
    static final int BURST = 100;

    private static final String REFUSED = "refused in the TLS handshake";

    private Attacks() {}

    static List<Attack> all() {
        return List.of(
                new Attack("no client certificate", REFUSED, t -> refusedOnClientPort(t, null)),
                new Attack(
                        "certificate from a rogue CA",
                        REFUSED,
                        t -> refusedOnClientPort(t, t.forge("rogue", t.rogueCa(), t.userRequest("rogue")))),
                new Attack("self-signed certificate", REFUSED, t -> refusedOnClientPort(t, selfSigned(t))),
                new Attack(
                        "expired certificate",
                        REFUSED,
                        t -> refusedOnClientPort(
                                t,
                                t.forge(
                                        "expired",
                                        t.ca().issuer(),
                                        t.userRequest("expired")
                                                .withValidity(
                                                        Instant.now().minus(Duration.ofDays(10)),
                                                        Instant.now().minus(Duration.ofDays(1)))))),
                new Attack(
                        "certificate without clientAuth EKU",
                        REFUSED,
                        t -> refusedOnClientPort(
                                t,
                                t.forge(
                                        "no-eku",
                                        t.ca().issuer(),
                                        t.userRequest("no-eku").withPurposes(Set.of(KeyPurpose.SERVER_AUTH))))),
                new Attack(
                        "node identity presented as a user",
                        REFUSED,
                        t -> refusedOnClientPort(t, t.forge("node", t.ca().issuer(), t.nodeRequest("node")))),
                new Attack(
                        "two SPIFFE URIs in one certificate",
                        REFUSED,
                        t -> refusedOnClientPort(
                                t,
                                t.forge(
                                        "two-ids",
                                        t.ca().issuer(),
                                        t.userRequest("two-ids")
                                                .withUris(List.of(
                                                        new SpiffeId(
                                                                        t.ca().trustDomain(),
                                                                        SpiffeId.Kind.USER,
                                                                        t.name("a"))
                                                                .uri(),
                                                        new SpiffeId(
                                                                        t.ca().trustDomain(),
                                                                        SpiffeId.Kind.USER,
                                                                        t.name("b"))
                                                                .uri()))))),
                new Attack("revoked certificate (new connection)", REFUSED + " within 5 s", Attacks::revokedRefused),
                new Attack("revoked while connected", "ERR REVOKED (fatal) within 5 s", Attacks::revokedWhileConnected),
                new Attack("spoofed \"from\" in SEND", "MSG from the sender's own identity", Attacks::spoofedFrom),
                new Attack("TLS 1.2 downgrade", "refused (or allowed by configuration)", Attacks::tls12),
                new Attack("TLS 1.1 ClientHello", "no ServerHello", t -> {
                    String answer = LegacyClientHello.send(t.server());
                    return Result.passIf(!answer.equals("SERVER_HELLO"), answer);
                }),
                new Attack("oversize frame", "ERR FRAME_TOO_LARGE (fatal), closed", Attacks::oversizeFrame),
                new Attack("10 malformed frames", "ERR TOO_MANY_ERRORS (fatal), closed", Attacks::malformedFrames),
                new Attack("stalled TLS handshake", "dropped within the handshake timeout", Attacks::stalledHandshake),
                new Attack("burst of " + BURST + " connections", "a legitimate client is still served", Attacks::burst),
                new Attack(
                        "cluster port: user certificate",
                        REFUSED,
                        t -> refusedOnClusterPort(t, () -> t.user("cluster-user"))),
                new Attack(
                        "cluster port: rogue CA certificate",
                        REFUSED,
                        t -> refusedOnClusterPort(
                                t, () -> t.forge("cluster-rogue", t.rogueCa(), t.nodeRequest("cluster-rogue")))),
                new Attack("cluster port: no certificate", REFUSED, t -> refusedOnClusterPort(t, () -> null)),
                new Attack("3 wrong passwords", "ERR AUTH_FAILED, fatal on the 3rd", Attacks::wrongPasswords),
                new Attack("unknown user vs wrong password", "the same ERR message", Attacks::unknownUser));
    }

    // ------------------------------------------------------------------ certificates

    private static Result refusedOnClientPort(AuditTarget t, Credentials credentials) throws IOException {
        if (t.passwordMode()) {
            return Result.skip("password mode: the server asks for no client certificate");
        }
        return refused(t, t.server(), credentials);
    }

    private interface CredentialsSource {
        Credentials get();
    }

    private static Result refusedOnClusterPort(AuditTarget t, CredentialsSource credentials) throws IOException {
        return t.cluster() == null ? Result.skip("no --cluster given") : refused(t, t.cluster(), credentials.get());
    }

    private static Result refused(AuditTarget t, HostPort at, Credentials credentials) throws IOException {
        String answer;
        try (Probe probe = t.connect(at, credentials, List.of("TLSv1.3"))) {
            answer = probe.firstAnswer();
        } catch (SSLException e) {
            answer = "refused (" + Probe.alert(e) + ")";
        } catch (SocketException e) {
            // the peer dropped the connection instead of sending its alert: still no session
            answer = "refused (connection dropped: " + e.getMessage() + ")";
        }
        return Result.passIf(answer.startsWith("refused") || answer.startsWith("closed"), answer);
    }

    private static Credentials selfSigned(AuditTarget t) {
        Instant now = Instant.now();
        IssuedCertificate self = CertificateIssuer.selfSignedCa(
                t.ca().trustDomain(), KeyType.EC, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        return t.forge(
                "self-signed",
                new CertificateIssuer(self.certificate(), self.privateKey()),
                t.userRequest("self-signed"));
    }

    // ------------------------------------------------------------------ revocation

    private static Result revokedRefused(AuditTarget t) throws Exception {
        String readOnly = revocationImpossible(t);
        if (readOnly != null) {
            return Result.skip(readOnly);
        }
        String name = t.name("revoked");
        t.ca().issueUser(name, 1);
        try {
            Credentials credentials = new Credentials(
                    t.ca().layout().userCert(name), t.ca().layout().userKey(name));
            t.ca().revoke(name);
            long start = System.nanoTime();
            Duration waited;
            String answer;
            do {
                try (Probe probe = t.connect(credentials)) {
                    answer = probe.firstAnswer();
                } catch (SSLException e) {
                    answer = "refused (" + Probe.alert(e) + ")";
                }
                waited = Duration.ofNanos(System.nanoTime() - start);
            } while (!answer.startsWith("refused") && waited.compareTo(REVOCATION_DEADLINE) < 0 && pause());
            return Result.passIf(answer.startsWith("refused"), answer + " after " + seconds(waited));
        } finally {
            deleteUserFiles(t, name);
        }
    }

    private static Result revokedWhileConnected(AuditTarget t) throws Exception {
        String readOnly = revocationImpossible(t);
        if (readOnly != null) {
            return Result.skip(readOnly);
        }
        String name = t.name("live");
        t.ca().issueUser(name, 1);
        try (Probe probe = t.connect(
                new Credentials(t.ca().layout().userCert(name), t.ca().layout().userKey(name)))) {
            String first = probe.firstAnswer();
            if (!first.equals("WELCOME")) {
                return Result.fail("not welcomed before the revocation: " + first);
            }
            t.ca().revoke(name);
            long start = System.nanoTime();
            ServerFrame.Err err = probe.awaitErr(ErrorCode.REVOKED);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (err == null) {
                return Result.fail("no ERR REVOKED within " + seconds(waited));
            }
            return Result.passIf(
                    err.fatal() && waited.compareTo(REVOCATION_DEADLINE) <= 0,
                    "ERR REVOKED" + (err.fatal() ? " (fatal)" : "") + " after " + seconds(waited));
        } finally {
            deleteUserFiles(t, name);
        }
    }

    /** Why a throwaway user cannot be revoked in the PKI directory, or null when it can. */
    private static String revocationImpossible(AuditTarget t) throws IOException {
        if (t.passwordMode()) {
            return "password mode: sessions carry no certificate";
        }
        if (!Files.isWritable(t.ca().layout().crl())
                || !Files.isWritable(t.ca().layout().users())) {
            return t.ca().layout().dir() + " is read-only: cannot revoke a throwaway user";
        }
        return null;
    }

    /** The revoked throwaway stays in the index and the CRL; its key and certificate go. */
    private static void deleteUserFiles(AuditTarget t, String name) throws IOException {
        Files.deleteIfExists(t.ca().layout().userCert(name));
        Files.deleteIfExists(t.ca().layout().userKey(name));
    }

    // ------------------------------------------------------------------ sessions and frames

    private static Result spoofedFrom(AuditTarget t) throws Exception {
        try (Probe sender = t.session("from-a");
                Probe receiver = t.session("from-b")) {
            if (sender == null) {
                return Result.skip("password mode without --password-user");
            }
            String target = receiver.welcome().user();
            sender.send(
                    "{\"op\":\"SEND\",\"id\":\"1\",\"to\":\"" + target + "\",\"text\":\"audit\",\"from\":\"mallory\"}");
            for (ServerFrame frame = receiver.read(); frame != null; frame = receiver.read()) {
                if (frame instanceof ServerFrame.Msg msg) {
                    return Result.passIf(msg.from().equals(sender.welcome().user()), "MSG from " + msg.from());
                }
            }
            return Result.fail("no MSG arrived");
        }
    }

    private static Result tls12(AuditTarget t) throws IOException {
        Credentials credentials = t.passwordMode() ? null : t.user("tls12");
        String answer;
        try (Probe probe = t.connect(t.server(), credentials, List.of("TLSv1.2"))) {
            answer = probe.firstAnswer();
        } catch (SSLException e) {
            answer = "refused (" + Probe.alert(e) + ")";
        }
        if (answer.equals("WELCOME") || answer.equals("AUTHREQUIRED")) {
            return Result.pass("accepted: the server is configured for TLS 1.2 (TLS 1.3 clients are not downgraded)");
        }
        return Result.passIf(answer.startsWith("refused") || answer.startsWith("closed"), answer);
    }

    private static Result oversizeFrame(AuditTarget t) throws Exception {
        try (Probe probe = t.session("oversize")) {
            if (probe == null) {
                return Result.skip("password mode without --password-user");
            }
            probe.sendBytes(("x".repeat(probe.welcome().limits().maxFrame() + 1) + "\n").getBytes());
            return fatalAndClosed(probe, ErrorCode.FRAME_TOO_LARGE);
        }
    }

    private static Result malformedFrames(AuditTarget t) throws Exception {
        try (Probe probe = t.session("malformed")) {
            if (probe == null) {
                return Result.skip("password mode without --password-user");
            }
            for (int i = 0; i < Limits.MAX_BAD_FRAMES; i++) {
                probe.send("{not json " + i);
            }
            return fatalAndClosed(probe, ErrorCode.TOO_MANY_ERRORS);
        }
    }

    private static Result fatalAndClosed(Probe probe, ErrorCode code) throws IOException {
        ServerFrame.Err err = probe.awaitErr(code);
        if (err == null) {
            return Result.fail("no ERR " + code);
        }
        boolean closed = probe.closedWithin(Duration.ofSeconds(5));
        return Result.passIf(
                err.fatal() && closed,
                "ERR " + code + (err.fatal() ? " (fatal)" : "") + (closed ? ", closed" : ", still open"));
    }

    private static Result stalledHandshake(AuditTarget t) throws IOException {
        Duration limit = Limits.HANDSHAKE_TIMEOUT.plusSeconds(5);
        try (Socket socket = stalledHandshake(t.server())) {
            socket.setSoTimeout((int) limit.toMillis());
            long start = System.nanoTime();
            try {
                while (socket.getInputStream().read() >= 0) {
                    // an alert, then the close
                }
            } catch (SocketTimeoutException e) {
                return Result.fail("still open after " + seconds(limit));
            } catch (IOException reset) {
                // closed with a reset: dropped all the same
            }
            return Result.pass("dropped after " + seconds(Duration.ofNanos(System.nanoTime() - start)));
        }
    }

    /** A TCP connection that sends the first bytes of a ClientHello, then nothing. */
    private static Socket stalledHandshake(HostPort server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.port()), (int) Probe.READ_WAIT.toMillis());
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
        return socket;
    }

    private static Result burst(AuditTarget t) throws Exception {
        List<Socket> burst = new ArrayList<>();
        try {
            for (int i = 0; i < BURST; i++) {
                burst.add(stalledHandshake(t.server()));
            }
            ClientOptions.Builder options = ClientOptions.builder()
                    .servers(List.of(t.server()))
                    .ca(t.ca().layout().caCert())
                    .connectTimeout(Duration.ofSeconds(10));
            if (t.passwordMode()) {
                if (t.password() == null) {
                    return Result.skip("password mode without --password-user");
                }
                options.password(t.password().user(), t.password().password());
            } else {
                Credentials user = t.user("burst");
                options.certificate(user.cert(), user.key());
            }
            long start = System.nanoTime();
            try (ChatClient client = ChatClient.connect(options.build(), null)) {
                client.ping().get(10, TimeUnit.SECONDS);
            }
            return Result.pass("WELCOME and PONG in " + seconds(Duration.ofNanos(System.nanoTime() - start)) + " with "
                    + burst.size() + " stalled connections open");
        } finally {
            for (Socket socket : burst) {
                socket.close();
            }
        }
    }

    // ------------------------------------------------------------------ passwords

    private static Result wrongPasswords(AuditTarget t) throws Exception {
        String skip = passwordSkip(t);
        if (skip != null) {
            return Result.skip(skip);
        }
        try (Probe probe = t.connect(null)) {
            probe.read();
            List<String> answers = new ArrayList<>();
            ServerFrame.Err last = null;
            for (int i = 1; i <= Limits.MAX_AUTH_FAILURES; i++) {
                probe.send(new Request.Auth("a" + i, t.password().user(), "wrong-" + t.name("password")));
                last = probe.awaitErr(ErrorCode.AUTH_FAILED);
                answers.add(last == null ? "none" : Probe.describe(last));
            }
            boolean closed = probe.closedWithin(Duration.ofSeconds(5));
            return Result.passIf(
                    last != null && last.fatal() && closed,
                    String.join(", ", answers) + (closed ? ", closed" : ", still open"));
        }
    }

    private static Result unknownUser(AuditTarget t) throws Exception {
        String skip = passwordSkip(t);
        if (skip != null) {
            return Result.skip(skip);
        }
        String wrongPassword = authFailure(t, t.password().user());
        String unknownUser = authFailure(t, t.name("nobody"));
        return Result.passIf(
                wrongPassword != null && wrongPassword.equals(unknownUser),
                wrongPassword != null && wrongPassword.equals(unknownUser)
                        ? "both: \"" + wrongPassword + "\""
                        : "\"" + wrongPassword + "\" vs \"" + unknownUser + "\"");
    }

    private static String authFailure(AuditTarget t, String user) throws IOException {
        try (Probe probe = t.connect(null)) {
            probe.read();
            probe.send(new Request.Auth("a", user, "wrong-" + t.name("password")));
            ServerFrame.Err err = probe.awaitErr(ErrorCode.AUTH_FAILED);
            return err == null ? null : err.message();
        }
    }

    private static String passwordSkip(AuditTarget t) throws IOException {
        if (t.password() == null) {
            return "no --password-user given";
        }
        return t.passwordMode() ? null : "the server is in mtls mode";
    }

    // ------------------------------------------------------------------ helpers

    private static boolean pause() {
        try {
            Thread.sleep(250);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
