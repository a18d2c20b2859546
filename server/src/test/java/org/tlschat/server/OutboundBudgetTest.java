package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.testing.TestPki.Credentials;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.StalledPeer;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/**
 * Every byte out has a budget: direct answers (USERS, PONG, ERR) count like relayed messages, a
 * connection that does not drain its answers is not read from, and the server's memory for a peer
 * that stops reading stays bounded while others are served.
 */
class OutboundBudgetTest {
    private static final int BUDGET = 1024 * 1024;
    /** Bytes of one write the budget may let through beyond its limit. */
    private static final int SLACK = 64 * 1024;

    @TempDir
    Path tmp;

    TestServer server;
    StalledPeer flooder;

    @AfterEach
    void stop() throws Exception {
        if (flooder != null) {
            flooder.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSessionFloodingListWithoutReadingHoldsNoMoreThanItsBudgetAndAliceIsServed() throws Exception {
        server = TestServer.start(tmp, c -> c.limits(new SessionLimits(Limits.MAX_FRAME_BYTES, 100, 200, BUDGET)));
        WireClient alice = server.login("alice");
        flooder = StalledPeer.connect(server, server.pki().user("carol"))
                .flood(Long.MAX_VALUE, n -> StalledPeer.lines("{\"op\":\"LIST\"}", 1000));

        long most = floodWhileAliceIsServed(alice, BUDGET / 4, BUDGET + SLACK);

        assertThat(most).as("most bytes queued for the clients").isLessThanOrEqualTo(BUDGET + SLACK);
    }

    @Test
    void anUnauthenticatedFloodHoldsNoMoreThanThePreAuthenticationBudgetAndAliceIsServed() throws Exception {
        server = TestServer.start(tmp, c -> {
            try {
                return c.authentication(Authentication.password(CloseDeadlineTest.usersWithAlice(tmp)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        WireClient alice = server.connect((Credentials) null);
        alice.expect(ServerFrame.AuthRequired.class);
        alice.send(new Request.Auth("a", "alice", "correct horse"));
        alice.expect(ServerFrame.Welcome.class);
        flooder = StalledPeer.connect(server, null)
                .flood(Long.MAX_VALUE, n -> StalledPeer.lines("{\"op\":\"PING\"}", 1000));

        long most = floodWhileAliceIsServed(
                alice, SessionLimits.PRE_AUTH_PENDING_BYTES / 4, SessionLimits.PRE_AUTH_PENDING_BYTES + SLACK);

        assertThat(most)
                .as("most bytes queued for the clients")
                .isLessThanOrEqualTo(SessionLimits.PRE_AUTH_PENDING_BYTES + SLACK);
    }

    /**
     * Lets the flood run, alice getting a PONG for each look at the server, until the answers held
     * for the flooder passed {@code bound} (the test fails), or passed {@code pressure} and two
     * more seconds went by, or the server cut the flooder; returns the most bytes seen queued.
     */
    private long floodWhileAliceIsServed(WireClient alice, long pressure, long bound) {
        AtomicLong most = new AtomicLong();
        AtomicLong pings = new AtomicLong();
        AtomicLong pressed = new AtomicLong();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long pending = pendingOutbound();
                    most.accumulateAndGet(pending, Math::max);
                    if (pending >= pressure && pressed.get() == 0) {
                        pressed.set(System.nanoTime());
                    }
                    String id = "p" + pings.incrementAndGet();
                    alice.send(new Request.Ping(id));
                    assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo(id);
                    return most.get() > bound
                            || flooder.failed()
                            || (pressed.get() != 0
                                    && System.nanoTime() - pressed.get()
                                            > Duration.ofSeconds(2).toNanos());
                });
        return most.get();
    }

    private long pendingOutbound() {
        return (long) AdminMetrics.value(server.server().adminAddress(), "tlschat_outbound_pending_bytes");
    }
}
