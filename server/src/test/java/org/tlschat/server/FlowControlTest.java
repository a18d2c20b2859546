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
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Order, fan-out, rate limits and slow consumers under load, over real TLS. */
class FlowControlTest {
    @TempDir
    Path tmp;

    TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tenThousandMessagesFromOneSenderArriveInOrder() throws Exception {
        server = TestServer.start(
                tmp, c -> c.limits(SessionLimits.DEFAULT.withRate(0, 1)).quotas(Quotas.OFF));
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");

        for (int i = 0; i < 10_000; i++) {
            alice.send(new Request.Send(null, "bob", "m" + i));
        }

        for (int i = 0; i < 10_000; i++) {
            assertThat(bob.expect(ServerFrame.Msg.class).text()).isEqualTo("m" + i);
        }
    }

    @Test
    void aRoomMessageFansOutToAHundredSessions() throws Exception {
        // 34 sessions of each of the test PKI's three users: over the default 32 sessions per user
        server = TestServer.start(tmp, c -> c.quotas(Quotas.OFF));
        List<WireClient> members = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            WireClient member = server.login(List.of("alice", "bob", "carol").get(i % 3));
            member.send(new Request.Join("j", "#all")).await(ServerFrame.Ok.class);
            members.add(member);
        }
        WireClient sender = members.get(0);

        for (int i = 0; i < 10; i++) {
            sender.send(new Request.Send("s" + i, "#all", "round " + i));
        }

        for (WireClient member : members.subList(1, members.size())) {
            for (int i = 0; i < 10; i++) {
                assertThat(member.await(ServerFrame.Msg.class).text()).isEqualTo("round " + i);
            }
        }
        assertThat(server.server().metrics().registry().scrape().stream()
                        .filter(m -> m.getMetadata().getName().equals("tlschat_messages_out"))
                        .findFirst()
                        .orElseThrow()
                        .getDataPoints()
                        .get(0))
                .extracting("value")
                .isEqualTo(990.0);
    }

    @Test
    void aSenderOverItsRateLimitIsToldAndTheMessageIsNotSent() throws Exception {
        server = TestServer.start(tmp, c -> c.limits(SessionLimits.DEFAULT.withRate(1, 3)));
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");

        for (int i = 0; i < 6; i++) {
            alice.send(new Request.Send("s" + i, "bob", "m" + i));
        }

        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 6; i++) {
            ServerFrame reply = (ServerFrame) alice.next();
            if (reply instanceof ServerFrame.Err err) {
                assertThat(err.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(err.fatal()).isFalse();
                limited++;
            } else {
                assertThat(reply).isInstanceOf(ServerFrame.Ok.class);
                ok++;
            }
        }
        assertThat(ok).isGreaterThanOrEqualTo(3);
        assertThat(limited).isGreaterThanOrEqualTo(1);
        for (int i = 0; i < ok; i++) {
            bob.expect(ServerFrame.Msg.class);
        }
        assertThat(bob.inboxEmpty()).as("no refused message was delivered").isTrue();
    }

    @Test
    void aReaderThatStopsReadingIsCutOffAndOthersKeepReceiving() throws Exception {
        int limit = 1024 * 1024;
        int burst = 20; // at most 20 x 8000 bytes in flight to carol: well under the limit
        server = TestServer.start(
                tmp,
                c -> c.limits(new SessionLimits(Limits.MAX_FRAME_BYTES, 0, 1, limit))
                        .quotas(Quotas.OFF));
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");
        WireClient carol = server.login("carol");
        for (WireClient c : List.of(bob, carol)) {
            c.send(new Request.Join("j", "#flood")).await(ServerFrame.Ok.class);
        }
        alice.send(new Request.Join("j", "#flood")).await(ServerFrame.Ok.class);
        bob.channel().config().setAutoRead(false);
        String text = "x".repeat(8000);

        int sent = 0;
        while (bobIsOnline() && sent < 20_000) {
            alice.send(new Request.Send(null, "#flood", text));
            sent++;
            for (int i = 0; sent % burst == 0 && i < burst; i++) {
                alice.await(ServerFrame.Ok.class);
                carol.await(ServerFrame.Msg.class);
            }
        }

        assertThat(bobIsOnline()).as("bob was cut off after %d messages", sent).isFalse();
        assertThat((long) sent * text.length())
                .as("more was sent than the limit")
                .isGreaterThan(limit);
        alice.send(new Request.Send("after", "#flood", "still here"));
        assertThat(carol.await(ServerFrame.Msg.class)).isNotNull();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.server().metrics().registry().scrape().stream()
                                .filter(m -> m.getMetadata().getName().equals("tlschat_errors"))
                                .flatMap(m -> m.getDataPoints().stream())
                                .anyMatch(p -> p.getLabels().get("code").equals(ErrorCode.SLOW_CONSUMER.name())))
                        .isTrue());
    }

    private boolean bobIsOnline() {
        return server.server().hub().users().stream().anyMatch(u -> u.user().equals("bob"));
    }
}
