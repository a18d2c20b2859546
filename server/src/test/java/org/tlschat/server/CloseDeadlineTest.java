package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.testing.TestPki.Credentials;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.StalledPeer;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/**
 * Every close has a deadline: a peer that stops reading, so that its last frame (ERR, BYE) can
 * never be written, is still closed within the close grace, and nothing it sends once the server
 * decided to close it is handled.
 */
class CloseDeadlineTest {
    /** The default close grace. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** Room for the server to read and answer the flood on a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(6);
    /** No frame is taken from a flooding peer before its answers fill this much of the server's memory. */
    private static final SessionLimits NO_PAUSE = new SessionLimits(Limits.MAX_FRAME_BYTES, 0, 1, 256 * 1024 * 1024);
    /** 100,000 LISTs: about 1.4 MB to read, several MB of answers, more than the kernel buffers hold. */
    private static final long LIST_BATCHES = 100;

    private static final String LIST = "{\"op\":\"LIST\"}";

    @TempDir
    Path tmp;

    TestServer server;
    final List<StalledPeer> peers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (StalledPeer peer : peers) {
            peer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRevokedSessionThatStopsReadingIsClosedWithinTheDeadlineAndNothingItSendsAfterReachesBob() throws Exception {
        server = TestServer.start(tmp);
        WireClient bob = server.login("bob");
        // carol floods LISTs and, in each batch, one message to bob stamped with the time it was written
        StalledPeer carol = stalled(server.pki().user("carol"))
                .flood(
                        Long.MAX_VALUE,
                        n -> StalledPeer.lines(LIST, 200) + "{\"op\":\"SEND\",\"to\":\"bob\",\"text\":\""
                                + System.nanoTime() + "\"}\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingOutbound() > 1024 * 1024);
        assertThat(bob.await(ServerFrame.Msg.class).from()).isEqualTo("carol");

        long revoked = System.nanoTime();
        server.pki().ca().revoke("carol");

        // the revocation contract (5 s) plus the grace to write ERR REVOKED
        await().atMost(Duration.ofSeconds(5).plus(GRACE).plus(Duration.ofSeconds(1)))
                .until(() -> closed("revoked") == 1);
        long gone = System.nanoTime();
        assertThat(carolOnline()).as("carol's session left the hub").isFalse();
        assertThat(server.server().metrics().registry().scrape().stream()
                        .filter(m -> m.getMetadata().getName().equals("tlschat_errors"))
                        .flatMap(m -> m.getDataPoints().stream())
                        .anyMatch(p -> p.getLabels().get("code").equals(ErrorCode.REVOKED.name())))
                .isTrue();
        // what bob got: nothing carol wrote after her connection was closed
        List<Long> stamps = new ArrayList<>();
        for (Object frame = bob.pollWithin(Duration.ofMillis(500));
                frame != null;
                frame = bob.pollWithin(Duration.ofMillis(500))) {
            if (frame instanceof ServerFrame.Msg msg) {
                stamps.add(Long.parseLong(msg.text()));
            }
        }
        assertThat(stamps)
                .allSatisfy(t -> assertThat(t).as("written before the close").isLessThan(gone));
        assertThat(Duration.ofNanos(gone - revoked)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aFlooderThatThenGoesSilentIsClosedWithinTheIdleTimeoutPlusTheGrace() throws Exception {
        server = TestServer.start(
                tmp,
                c -> c.limits(NO_PAUSE)
                        .timeouts(new Timeouts(Duration.ofSeconds(1), Limits.HANDSHAKE_TIMEOUT, Limits.AUTH_TIMEOUT)));
        stalled(server.pki().user("carol")).flood(LIST_BATCHES, n -> StalledPeer.lines(LIST, 1000));

        assertClosedWithin("idle_timeout", Duration.ofSeconds(1).plus(GRACE).plus(SLACK));
    }

    @Test
    void aFlooderThatThenSendsTenBadFramesIsClosedWithinTheGrace() throws Exception {
        server = TestServer.start(tmp, c -> c.limits(NO_PAUSE));
        stalled(server.pki().user("carol"))
                .flood(
                        LIST_BATCHES + 1,
                        n -> n < LIST_BATCHES ? StalledPeer.lines(LIST, 1000) : StalledPeer.lines("not json", 10));

        assertClosedWithin("too_many_errors", GRACE.plus(SLACK));
    }

    @Test
    void aFlooderThatThenSendsAnOverlongLineIsClosedWithinTheGrace() throws Exception {
        server = TestServer.start(tmp, c -> c.limits(NO_PAUSE));
        stalled(server.pki().user("carol"))
                .flood(
                        LIST_BATCHES + 1,
                        n -> n < LIST_BATCHES
                                ? StalledPeer.lines(LIST, 1000)
                                : "x".repeat(Limits.MAX_FRAME_BYTES + 1) + "\n");

        assertClosedWithin("frame_too_large", GRACE.plus(SLACK));
    }

    @Test
    void aFlooderThatThenQuitsIsClosedWithinTheGrace() throws Exception {
        server = TestServer.start(tmp, c -> c.limits(NO_PAUSE));
        stalled(server.pki().user("carol"))
                .flood(LIST_BATCHES + 1, n -> n < LIST_BATCHES ? StalledPeer.lines(LIST, 1000) : "{\"op\":\"QUIT\"}\n");

        assertClosedWithin("client_quit", GRACE.plus(SLACK));
    }

    @Test
    void anUnauthenticatedFlooderIsClosedWithinTheAuthTimeoutPlusTheGrace() throws Exception {
        Duration authTimeout = Duration.ofSeconds(5);
        server = TestServer.start(tmp, c -> {
            try {
                return c.authentication(Authentication.password(usersWithAlice(tmp)))
                        .timeouts(new Timeouts(Limits.IDLE_TIMEOUT, Limits.HANDSHAKE_TIMEOUT, authTimeout));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long start = System.nanoTime();
        stalled(null).flood(Long.MAX_VALUE, n -> StalledPeer.lines(LIST, 1000));
        // its ERR NOT_AUTHENTICATED answers pile up (or it was cut for them already)
        await().atMost(authTimeout).until(() -> pendingOutbound() > 16 * 1024 || closedAtAll() == 1);

        // the auth timeout, or before it the small pre-authentication budget
        await().atMost(authTimeout.plus(GRACE).plus(SLACK).minusNanos(System.nanoTime() - start))
                .until(() -> closed("auth_timeout") + closed("slow_consumer") == 1);
    }

    @Test
    void requestsAfterAFatalErrorAreNotHandledEvenWhenAlreadyRead() throws Exception {
        server = TestServer.start(tmp);
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");

        // one write: ten bad frames (the tenth is fatal), then a message the server has already read
        alice.sendLine("not json\n".repeat(Limits.MAX_BAD_FRAMES)
                + "{\"op\":\"SEND\",\"to\":\"bob\",\"text\":\"after the fatal error\"}");

        alice.expectClosed();
        assertThat(bob.pollWithin(Duration.ofSeconds(2)))
                .as("nothing from alice after her fatal error")
                .isNull();
    }

    @Test
    void shutdownDoesNotWaitLongerThanTheGraceForAPeerThatStoppedReading() throws Exception {
        server = TestServer.start(tmp);
        WireClient alice = server.login("alice");
        stalled(server.pki().user("carol")).flood(Long.MAX_VALUE, n -> StalledPeer.lines(LIST, 1000));
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingOutbound() > 1024 * 1024);

        long start = System.nanoTime();
        server.server().close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(alice.await(ServerFrame.Bye.class).reason()).isEqualTo(ServerFrame.Bye.SHUTDOWN.reason());
        alice.expectClosed();
        assertThat(took).as("shutdown took").isLessThan(GRACE.plus(Duration.ofMillis(1500)));
    }

    private StalledPeer stalled(Credentials credentials) throws Exception {
        StalledPeer peer = StalledPeer.connect(server, credentials);
        peers.add(peer);
        return peer;
    }

    private void assertClosedWithin(String reason, Duration wait) {
        await().atMost(wait).until(() -> closed(reason) == 1);
    }

    private double closed(String reason) {
        return AdminMetrics.value(
                server.server().adminAddress(), "tlschat_connections_closed_total{reason=\"" + reason + "\"}");
    }

    private double closedAtAll() {
        return AdminMetrics.sum(server.server().adminAddress(), "tlschat_connections_closed_total");
    }

    private double pendingOutbound() {
        return AdminMetrics.value(server.server().adminAddress(), "tlschat_outbound_pending_bytes");
    }

    private boolean carolOnline() {
        return server.server().hub().users().stream().anyMatch(u -> u.user().equals("carol"));
    }

    static Path usersWithAlice(Path dir) throws Exception {
        Path users = dir.resolve("users.json");
        UserStore store = UserStore.open(users);
        store.put("alice", PasswordHash.hash("correct horse".toCharArray()));
        store.save();
        return users;
    }
}
