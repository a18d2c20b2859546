package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Liveness: silent sessions are cut after the idle timeout; TLS handshakes that never finish are dropped. */
class TimeoutsTest {
    @TempDir
    Path tmp;

    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSilentSessionGetsFatalIdleTimeoutAndIsClosed() throws Exception {
        server = TestServer.start(
                tmp,
                c -> c.timeouts(new Timeouts(Duration.ofSeconds(1), Limits.HANDSHAKE_TIMEOUT, Limits.AUTH_TIMEOUT)));
        WireClient alice = server.login("alice");
        long start = System.nanoTime();

        ServerFrame.Err err = alice.expectErr(ErrorCode.IDLE_TIMEOUT);

        assertThat(err.fatal()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("cut after about the idle timeout")
                .isLessThan(Duration.ofSeconds(5));
        alice.expectClosed();
    }

    @Test
    void aSessionThatPingsEvery300MillisStaysOpenPastTheIdleTimeout() throws Exception {
        server = TestServer.start(
                tmp,
                c -> c.timeouts(new Timeouts(Duration.ofSeconds(1), Limits.HANDSHAKE_TIMEOUT, Limits.AUTH_TIMEOUT)));
        WireClient alice = server.login("alice");
        WireClient silent = server.login("bob");

        long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        int pings = 0;
        while (System.nanoTime() < end) {
            alice.send(new Request.Ping("p" + pings));
            // each PONG is waited for; the 300 ms pause between PINGs is a bounded wait on a PONG
            // that does not come (nothing else is sent to alice)
            assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("p" + pings);
            assertThat(alice.pollWithin(Duration.ofMillis(300)))
                    .as("nothing but PONGs for a pinging session")
                    .isNull();
            pings++;
        }

        assertThat(silent.expectErr(ErrorCode.IDLE_TIMEOUT).fatal())
                .as("the control session, silent, was cut meanwhile")
                .isTrue();
        assertThat(alice.channel().isActive())
                .as("the pinging session is still open after 3.5 idle timeouts")
                .isTrue();
        alice.send(new Request.ListUsers("l", null));
        assertThat(alice.expect(ServerFrame.Users.class).users())
                .extracting(ServerFrame.UserEntry::user)
                .containsExactly("alice");
    }

    @Test
    void aTcpConnectionThatNeverStartsTlsIsDroppedWithinTheHandshakeTimeout() throws Exception {
        server = TestServer.start(
                tmp, c -> c.timeouts(new Timeouts(Limits.IDLE_TIMEOUT, Duration.ofSeconds(1), Limits.AUTH_TIMEOUT)));

        try (Socket socket =
                new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();

            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a silent TCP connection open for 5 s", e);
            }

            assertThat(read)
                    .as("end of stream: the server closed the connection")
                    .isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(AdminMetrics.value(
                                server.server().adminAddress(),
                                "tlschat_tls_handshake_failures_total{reason=\"timeout\"}"))
                        .as("counted as a handshake timeout")
                        .isEqualTo(1.0));
    }
}
