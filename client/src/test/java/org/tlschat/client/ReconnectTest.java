package org.tlschat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.testing.Recorder;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.Listeners;
import org.tlschat.server.testing.TestServer;

/** Reconnecting to a single server that goes away and comes back on the same port, or does not. */
class ReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private InetSocketAddress listen;
    private Fixtures fx;
    private ChatServer restarted;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listen = new InetSocketAddress("127.0.0.1", probe.getLocalPort());
        }
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
        if (restarted != null) {
            restarted.close();
        }
    }

    private Fixtures startServer(UnaryOperator<ServerConfig.Builder> adjust) throws Exception {
        fx = new Fixtures(TestServer.start(
                dir, cfg -> adjust.apply(cfg.listeners(new Listeners(listen, TestServer.LOOPBACK.admin())))));
        return fx;
    }

    /** A new server with the same PKI on the same port (it reads the CRL afresh). */
    private void restart(UnaryOperator<ServerConfig.Builder> adjust) throws Exception {
        ServerConfig.Builder config =
                ServerConfig.builder(fx.server.pki().ca().layout(), "n1").listeners(new Listeners(listen, null));
        restarted = ChatServer.start(adjust.apply(config).build());
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRestartedServerOnTheSamePortGetsTheSessionBackAndRequestsMadeMeanwhileWait() throws Exception {
        startServer(UnaryOperator.identity());
        Recorder events = new Recorder();
        ChatClient alice =
                fx.connect(fx.mtls("alice").reconnectFor(Duration.ofSeconds(30)).build(), events);
        get(alice.join("#ops"));
        String firstSession = alice.welcome().session();

        fx.server.server().close();
        await().atMost(WAIT).until(() -> events.reconnecting.size() == 1);
        assertThat(alice.isConnected()).isFalse();
        assertThat(alice.isOpen()).isTrue();
        CompletableFuture<List<UserEntry>> madeWhileReconnecting = alice.list("#ops");
        restart(UnaryOperator.identity());

        assertThat(get(madeWhileReconnecting)).extracting(UserEntry::user).containsExactly("alice");
        await().atMost(WAIT).until(() -> events.reconnected.size() == 1);
        assertThat(events.reconnecting.get(0).getValue()).isEqualTo(ServerFrame.Bye.SHUTDOWN.reason());
        assertThat(events.reconnected.get(0).getKey().port()).isEqualTo(listen.getPort());
        assertThat(alice.welcome().session()).isNotEqualTo(firstSession);
        assertThat(alice.rooms()).containsExactly("#ops");
        assertThat(restarted.hub().users()).extracting(UserEntry::user).containsExactly("alice");
        assertThat(events.closed).isEmpty();
    }

    @Test
    void withNoServerBackTheClientGivesUpAfterItsBoundAndFailsWhatWaited() throws Exception {
        startServer(UnaryOperator.identity());
        Recorder events = new Recorder();
        ChatClient alice =
                fx.connect(fx.mtls("alice").reconnectFor(Duration.ofSeconds(1)).build(), events);
        long lost = System.nanoTime();

        fx.server.server().close();
        await().atMost(WAIT).until(() -> events.reconnecting.size() == 1);
        CompletableFuture<String> waiting = alice.send("bob", "are you there?");

        String reason = get(alice.closeFuture());
        assertThat(Duration.ofNanos(System.nanoTime() - lost)).isLessThan(Duration.ofSeconds(3));
        assertThat(reason).startsWith("no server answered for 1 s (cannot reach 127.0.0.1:" + listen.getPort());
        assertThat(events.closed).containsExactly(reason);
        assertThat(events.reconnected).isEmpty();
        assertThatThrownBy(() -> get(waiting))
                .cause()
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("not connected");
        assertThat(alice.isOpen()).isFalse();
    }

    @Test
    void aRevokedCertificateEndsTheSessionAtTheFirstRefusedReconnect() throws Exception {
        startServer(UnaryOperator.identity());
        Recorder events = new Recorder();
        ChatClient alice =
                fx.connect(fx.mtls("alice").reconnectFor(Duration.ofSeconds(60)).build(), events);
        fx.server.pki().ca().revoke("alice");

        fx.server.server().close();
        restart(UnaryOperator.identity());

        assertThat(get(alice.closeFuture())).isEqualTo("the server refused your certificate: it is revoked");
        assertThat(events.reconnecting).hasSize(1);
        assertThat(events.reconnected).isEmpty();
        assertThat(events.closed).hasSize(1);
    }

    @Test
    void aRejectedPasswordEndsTheSessionAtTheFirstRefusedReconnect() throws Exception {
        Path users = Fixtures.usersFile(dir, "alice", "correct horse");
        startServer(cfg -> cfg.authentication(Authentication.password(users)));
        Recorder events = new Recorder();
        ChatClient alice = fx.connect(
                fx.password("alice", "correct horse")
                        .reconnectFor(Duration.ofSeconds(60))
                        .build(),
                events);

        fx.server.server().close();
        Path changed = Fixtures.usersFile(Files.createDirectories(dir.resolve("changed")), "alice", "battery staple");
        restart(cfg -> cfg.authentication(Authentication.password(changed)));

        assertThat(get(alice.closeFuture())).isEqualTo("wrong user or password");
        assertThat(events.reconnected).isEmpty();
        assertThat(events.closed).hasSize(1);
    }

    @Test
    void quitAndCloseNeverReconnect() throws Exception {
        startServer(UnaryOperator.identity());
        Recorder quitting = new Recorder();
        ChatClient alice = fx.connect(fx.mtls("alice").build(), quitting);
        Recorder closing = new Recorder();
        ChatClient bob = fx.connect(fx.mtls("bob").build(), closing);

        assertThat(get(alice.quit())).isEqualTo(ServerFrame.Bye.QUIT.reason());
        bob.close();

        assertThat(quitting.reconnecting).isEmpty();
        assertThat(closing.reconnecting).isEmpty();
        assertThat(closing.closed).containsExactly("closed");
        await().atMost(WAIT).until(() -> fx.server.server().hub().users().isEmpty());
    }
}
