package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tlschat.server.testing.RawSockets.closedWithin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/**
 * Every op has a limit: a request budget per session, caps on rooms per session, sessions per user,
 * connections per source address and connections without a session, and a deadline from TCP accept
 * to WELCOME. Each limit refuses with its code and the server keeps serving everyone else.
 * Attackers' raw sockets come from 127.0.0.2 and 127.0.0.3, the legitimate clients from 127.0.0.1.
 */
class QuotasTest {
    @TempDir
    Path tmp;

    TestServer server;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(UnaryOperator<ServerConfig.Builder> adjust) throws Exception {
        server = TestServer.start(tmp, adjust);
    }

    @Test
    void aFloodOfPingsGetsRateLimitedWithTheOpsIdAndTheSessionStaysUsable() throws Exception {
        start(c -> c.quotas(Quotas.DEFAULT.withRequestRate(10, 20)));
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");

        for (int i = 0; i < 100; i++) {
            alice.send(new Request.Ping("p" + i));
        }

        int pongs = 0;
        List<ServerFrame.Err> limited = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ServerFrame reply = (ServerFrame) alice.next();
            if (reply instanceof ServerFrame.Err err) {
                limited.add(err);
            } else {
                assertThat(reply).isInstanceOf(ServerFrame.Pong.class);
                pongs++;
            }
        }
        assertThat(pongs).as("about the burst, and what trickled in meanwhile").isBetween(20, 60);
        assertThat(limited).isNotEmpty().allSatisfy(err -> {
            assertThat(err.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(err.fatal()).isFalse();
            assertThat(err.re()).startsWith("p");
        });
        bob.send(new Request.Ping("bob"));
        assertThat(bob.expect(ServerFrame.Pong.class).re())
                .as("others are served")
                .isEqualTo("bob");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            alice.send(new Request.Ping("later"));
            assertThat(alice.await(ServerFrame.class)).isInstanceOf(ServerFrame.Pong.class);
        });
        assertThat(alice.channel().isActive()).as("rate limiting is not fatal").isTrue();
    }

    @Test
    void threeThousandRapidJoinsStopAtTheRoomCapWithLimitReached() throws Exception {
        start(c -> c.quotas(Quotas.DEFAULT.withRequestRate(0, 1)));
        WireClient alice = server.login("alice");

        for (int i = 0; i < 3000; i++) {
            alice.send(new Request.Join("j" + i, "#r" + i));
        }

        int ok = 0;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            ServerFrame reply = alice.await(ServerFrame.class);
            if (reply instanceof ServerFrame.Err err) {
                assertThat(err.code()).isEqualTo(ErrorCode.LIMIT_REACHED);
                assertThat(err.message()).isEqualTo("rooms per session: " + Quotas.DEFAULT_ROOMS_PER_SESSION);
                assertThat(err.fatal()).isFalse();
                refused++;
            } else {
                assertThat(reply).isInstanceOf(ServerFrame.Ok.class);
                ok++;
            }
        }
        assertThat(ok).isEqualTo(Quotas.DEFAULT_ROOMS_PER_SESSION);
        assertThat(refused).isEqualTo(3000 - Quotas.DEFAULT_ROOMS_PER_SESSION);

        alice.send(new Request.Join("again", "#r0"));
        assertThat(alice.expect(ServerFrame.Ok.class).re())
                .as("a room it is in already")
                .isEqualTo("again");
        alice.send(new Request.Part("part", "#r1"));
        assertThat(alice.expect(ServerFrame.Ok.class).re()).isEqualTo("part");
        alice.send(new Request.Join("new", "#new"));
        assertThat(alice.expect(ServerFrame.Ok.class).re())
                .as("a free place after PART")
                .isEqualTo("new");
        WireClient bob = server.login("bob");
        bob.send(new Request.Join("b", "#r5"));
        assertThat(bob.expect(ServerFrame.Ok.class).re()).isEqualTo("b");
    }

    @Test
    void aUserOverTheSessionCapIsRefusedWithAFatalLimitReachedAndMayComeBackLater() throws Exception {
        start(c -> c.quotas(new Quotas(200, 400, 100, 2, 256, 1024, 128)));
        WireClient first = server.login("alice");
        server.login("alice");

        WireClient third = server.connect("alice");
        ServerFrame.Err err = third.expectErr(ErrorCode.LIMIT_REACHED);

        assertThat(err.fatal()).isTrue();
        assertThat(err.message()).isEqualTo("sessions per user: 2");
        third.expectClosed();
        WireClient bob = server.login("bob");
        bob.send(new Request.ListUsers("l", null));
        assertThat(bob.expect(ServerFrame.Users.class).users())
                .containsExactly(new ServerFrame.UserEntry("alice", 2), new ServerFrame.UserEntry("bob", 1));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(metric("tlschat_connections_closed_total{reason=\"limit_reached\"}"))
                        .isEqualTo(1.0));

        first.close();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.connect("alice").next())
                        .as("a place is free again")
                        .isInstanceOf(ServerFrame.Welcome.class));
    }

    @Test
    void silentConnectionsFromOneAddressBeyondTheUnauthenticatedCapAreClosedAtOnceAndAliceIsServed() throws Exception {
        start(c -> c.quotas(new Quotas(200, 400, 100, 32, 256, 1024, 5)));

        for (int i = 0; i < 20; i++) {
            sockets.add(silentFrom("127.0.0.2"));
        }

        List<Socket> closed = new ArrayList<>();
        for (Socket socket : sockets) {
            if (closedWithin(socket, Duration.ofSeconds(1))) {
                closed.add(socket);
            }
        }
        assertThat(closed).as("all but the cap of 5 closed at once").hasSize(15);
        assertThat(metric("tlschat_connections_refused_total{limit=\"unauthenticated_per_address\"}"))
                .isEqualTo(15.0);
        WireClient alice = server.login("alice");
        alice.send(new Request.Ping("served"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("served");
    }

    @Test
    void theUnauthenticatedCapInTotalRefusesEveryAddressUntilTheSilentOnesAreGone() throws Exception {
        start(c -> c.quotas(new Quotas(200, 400, 100, 32, 256, 5, 128)));
        for (int i = 0; i < 5; i++) {
            sockets.add(silentFrom("127.0.0.2"));
        }
        // accepted connections are set up on several event loops: the sixth must come after all five
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("tlschat_connections") == 5.0);

        Socket sixth = silentFrom("127.0.0.3");
        sockets.add(sixth);

        assertThat(closedWithin(sixth, Duration.ofSeconds(2)))
                .as("over the total cap")
                .isTrue();
        assertThat(metric("tlschat_connections_refused_total{limit=\"unauthenticated\"}"))
                .isEqualTo(1.0);
        for (Socket socket : sockets) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(server.connect("alice").next()).isInstanceOf(ServerFrame.Welcome.class));
    }

    @Test
    void connectionsPerAddressCountSessionsTooAndOtherAddressesAreNotAffected() throws Exception {
        start(c -> c.quotas(new Quotas(200, 400, 100, 32, 3, 1024, 128)));
        WireClient alice = server.login("alice");
        server.login("bob");
        server.login("carol");

        Socket fourth = silentFrom("127.0.0.1");
        Socket elsewhere = silentFrom("127.0.0.2");
        sockets.add(fourth);
        sockets.add(elsewhere);

        assertThat(closedWithin(fourth, Duration.ofSeconds(2)))
                .as("a 4th from 127.0.0.1")
                .isTrue();
        assertThat(closedWithin(elsewhere, Duration.ofMillis(500)))
                .as("one from 127.0.0.2")
                .isFalse();
        assertThat(metric("tlschat_connections_refused_total{limit=\"connections_per_address\"}"))
                .isEqualTo(1.0);
        alice.send(new Request.Ping("served"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("served");
    }

    @Test
    void aTcpConnectionThatNeverStartsTlsIsClosedAtTheWelcomeDeadlineBeforeTheHandshakeTimeout() throws Exception {
        start(c -> c.timeouts(Timeouts.DEFAULT.withWelcome(Duration.ofSeconds(1))));
        Socket silent = silentFrom("127.0.0.2");
        sockets.add(silent);
        long start = System.nanoTime();

        assertThat(closedWithin(silent, Duration.ofSeconds(4)))
                .as("closed well before the 10 s handshake timeout")
                .isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(metric("tlschat_connections_closed_total{reason=\"welcome_timeout\"}"))
                        .isEqualTo(1.0));
        WireClient alice = server.login("alice");
        assertThat(alice.pollWithin(Duration.ofMillis(1500)))
                .as("a session is not cut by the welcome deadline")
                .isNull();
        alice.send(new Request.Ping("still"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("still");
    }

    private double metric(String sample) {
        return AdminMetrics.scrape(server.server().adminAddress()).getOrDefault(sample, 0.0);
    }

    /** A TCP connection from {@code source} (a loopback address) that never sends a byte. */
    private Socket silentFrom(String source) throws IOException {
        return new Socket(server.address().getAddress(), server.address().getPort(), InetAddress.getByName(source), 0);
    }
}
