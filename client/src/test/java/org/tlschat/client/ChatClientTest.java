package org.tlschat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.testing.Recorder;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame.Bye;
import org.tlschat.protocol.ServerFrame.Presence;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.protocol.ServerFrame.Welcome;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** The client library against a real server over real TLS on loopback. */
class ChatClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Fixtures fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private Fixtures start() throws Exception {
        fx = new Fixtures(TestServer.start(dir));
        return fx;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void mtlsConnectReturnsAfterWelcomeWithTheCertificatesUser() throws Exception {
        ChatClient alice = start().connect("alice", null);

        Welcome welcome = alice.welcome();
        assertThat(welcome.user()).isEqualTo("alice");
        assertThat(welcome.node()).isEqualTo("n1");
        assertThat(alice.isOpen()).isTrue();
        assertThat(alice.server().port()).isEqualTo(fx.server.address().getPort());
    }

    @Test
    void passwordModeAnswersAuthRequiredWithAuth() throws Exception {
        Path users = Fixtures.usersFile(dir, "alice", "correct horse");
        fx = new Fixtures(TestServer.start(dir, cfg -> cfg.authentication(Authentication.password(users))));

        ChatClient alice = fx.connect(fx.password("alice", "correct horse").build(), null);

        assertThat(alice.user()).isEqualTo("alice");
        assertThat(get(alice.list())).containsExactly(new UserEntry("alice", 1));
    }

    @Test
    void listShowsEveryOnlineUserWithSessionCounts() throws Exception {
        start();
        ChatClient alice = fx.connect("alice", null);
        fx.connect("bob", null);
        fx.connect("bob", null);

        assertThat(get(alice.list())).containsExactly(new UserEntry("alice", 1), new UserEntry("bob", 2));
    }

    @Test
    void directMessageReachesTheRecipientsListener() throws Exception {
        start();
        ChatClient alice = fx.connect("alice", null);
        Recorder bobEvents = new Recorder();
        fx.connect("bob", bobEvents);

        String id = get(alice.send("bob", "hi bob"));

        assertThat(id).isNotBlank();
        await().atMost(WAIT).until(() -> !bobEvents.messages.isEmpty());
        assertThat(bobEvents.messages.get(0)).satisfies(msg -> {
            assertThat(msg.msg()).isEqualTo(id);
            assertThat(msg.from()).isEqualTo("alice");
            assertThat(msg.to()).isEqualTo("bob");
            assertThat(msg.text()).isEqualTo("hi bob");
        });
    }

    @Test
    void roomJoinSendPartWithPresenceAndRememberedRooms() throws Exception {
        start();
        Recorder aliceEvents = new Recorder();
        ChatClient alice = fx.connect("alice", aliceEvents);
        ChatClient bob = fx.connect("bob", null);

        get(alice.join("#ops"));
        get(bob.join("#ops"));
        assertThat(alice.rooms()).containsExactly("#ops");
        await().atMost(WAIT)
                .until(() -> aliceEvents.presence.contains(new Presence("bob", PresenceEvent.JOIN, "#ops")));
        assertThat(get(alice.list("#ops"))).extracting(UserEntry::user).containsExactly("alice", "bob");

        get(bob.send("#ops", "deploy"));
        await().atMost(WAIT).until(() -> !aliceEvents.messages.isEmpty());
        assertThat(aliceEvents.messages.get(0).to()).isEqualTo("#ops");
        assertThat(aliceEvents.messages.get(0).from()).isEqualTo("bob");

        get(bob.part("#ops"));
        assertThat(bob.rooms()).isEmpty();
        await().atMost(WAIT)
                .until(() -> aliceEvents.presence.contains(new Presence("bob", PresenceEvent.PART, "#ops")));
    }

    @Test
    void errReplyFailsTheFutureWithItsCode() throws Exception {
        ChatClient alice = start().connect("alice", null);

        assertThatThrownBy(() -> alice.send("mallory", "?").join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(ChatErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_USER);
                    assertThat(e.getMessage()).endsWith("(NO_SUCH_USER)");
                    assertThat(e.fatal()).isFalse();
                });
        assertThatThrownBy(() -> alice.part("#nowhere").join())
                .cause()
                .isInstanceOfSatisfying(
                        ChatErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_ROOM));
        assertThatThrownBy(() -> alice.send("#nowhere", "hello?").join())
                .cause()
                .isInstanceOfSatisfying(
                        ChatErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_ROOM));
        // the session is still usable after non-fatal errors
        assertThat(get(alice.ping())).isPositive();
    }

    @Test
    void quitEndsWithByeAndFailsLaterRequests() throws Exception {
        Recorder events = new Recorder();
        ChatClient alice = start().connect("alice", events);

        assertThat(get(alice.quit())).isEqualTo(Bye.QUIT.reason());

        assertThat(events.closed).containsExactly(Bye.QUIT.reason());
        assertThat(alice.isOpen()).isFalse();
        assertThatThrownBy(() -> alice.list().join())
                .cause()
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("not connected");
    }

    @Test
    void serverShutdownIsReportedAsTheByeReason() throws Exception {
        Recorder events = new Recorder();
        ChatClient alice =
                start().connect(fx.mtls("alice").reconnectFor(Duration.ZERO).build(), events);

        fx.server.server().close();

        assertThat(get(alice.closeFuture())).isEqualTo(Bye.SHUTDOWN.reason());
        await().atMost(WAIT).until(() -> events.closed.equals(List.of(Bye.SHUTDOWN.reason())));
    }

    @Test
    void heartbeatKeepsAnIdleConnectionAlivePastTheServersIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(800);
        fx = new Fixtures(TestServer.start(
                dir, cfg -> cfg.timeouts(new Timeouts(idle, Duration.ofSeconds(10), Duration.ofSeconds(10)))));
        ChatClient pinging =
                fx.connect(fx.mtls("alice").pingInterval(Duration.ofMillis(200)).build(), null);
        WireClient silent = fx.server.login("bob");

        // the silent one (a raw session, not the stock client, which pings in time) is cut for idleness:
        // proof the timeout is real
        assertThat(silent.expectErr(ErrorCode.IDLE_TIMEOUT).fatal()).isTrue();
        // while the pinging one lives on, several idle timeouts later
        await().during(idle.multipliedBy(3)).atMost(WAIT).until(pinging::isOpen);
        assertThat(get(pinging.list())).extracting(UserEntry::user).containsExactly("alice");
    }

    @Test
    void theStockClientPingsInTimeForTheIdleTimeoutItsServerAnnounces() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        fx = new Fixtures(TestServer.start(
                dir, cfg -> cfg.timeouts(new Timeouts(idle, Duration.ofSeconds(10), Duration.ofSeconds(10)))));
        Recorder events = new Recorder();
        // the default ping interval (30 s), no reconnecting: a cut would end the session
        ChatClient alice =
                fx.connect(fx.mtls("alice").reconnectFor(Duration.ZERO).build(), events);
        String session = alice.welcome().session();

        assertThat(alice.welcome().limits().idleTimeout()).isEqualTo(1);
        await().during(idle.multipliedBy(4)).atMost(WAIT).until(alice::isOpen);
        assertThat(events.errors).as("no IDLE_TIMEOUT").isEmpty();
        assertThat(alice.welcome().session())
                .as("the same session, never reconnected")
                .isEqualTo(session);
        assertThat(get(alice.list())).extracting(UserEntry::user).containsExactly("alice");
    }
}
