package org.tlschat.client.audit;

import static org.tlschat.client.audit.Attacks.seconds;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ClientOptions;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.client.audit.AuditTarget.Credentials;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;

/** Handshakes a sound server refuses or outlasts: older TLS versions, a stalled handshake, a burst of them. */
final class HandshakeAttacks {
    /** Connections of the burst: enough to notice a server that serialises handshakes, not a DoS. */
    static final int BURST = 100;

    private HandshakeAttacks() {}

    /** A TLS 1.2 handshake: refused, unless the server is configured to allow it. */
    static Result tls12(AuditTarget t) throws IOException {
        Credentials credentials = t.passwordMode() ? null : t.user("tls12");
        String answer;
        try (Probe probe = t.connect(t.server(), credentials, List.of("TLSv1.2"))) {
            answer = probe.firstAnswer();
        } catch (SSLException e) {
            answer = Probe.refused(e);
        }
        if (answer.equals("WELCOME") || answer.equals("AUTHREQUIRED")) {
            return Result.pass("accepted: the server is configured for TLS 1.2 (TLS 1.3 clients are not downgraded)");
        }
        return Result.passIf(answer.startsWith("refused") || answer.startsWith("closed"), answer);
    }

    /** A TLS 1.1 ClientHello: no ServerHello. */
    static Result tls11(AuditTarget t) throws IOException {
        String answer = LegacyClientHello.send(t.server());
        return Result.passIf(!answer.equals("SERVER_HELLO"), answer);
    }

    /** A handshake that stops after its first bytes: dropped within the handshake timeout. */
    static Result stalled(AuditTarget t) throws IOException {
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

    /** {@link #BURST} stalled handshakes at once: a legitimate client still gets WELCOME and PONG. */
    static Result burst(AuditTarget t) throws Exception {
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
                    return Result.skip(AuditTarget.NO_SESSION);
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

    /** A TCP connection that sends the first bytes of a ClientHello, then nothing. */
    private static Socket stalledHandshake(HostPort server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.port()), (int) Probe.READ_WAIT.toMillis());
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
        return socket;
    }
}
