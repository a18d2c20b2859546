package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.testing.TestPki.Credentials;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Graceful shutdown: every session hears BYE shutdown before its close, and nothing new gets in. */
class ShutdownTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final TestServer server = TestServer.perTest();

    @BeforeEach
    void writeUsers() throws Exception {
        Path users = tmp.resolve("users.json");
        UserStore store = UserStore.open(users);
        store.put("alice", PasswordHash.hash("correct horse".toCharArray()));
        store.save();
    }

    @Test
    void everyLoggedInSessionGetsByeShutdownThenTheCloseAndAHalfOpenConnectionIsDroppedToo() throws Exception {
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");
        alice.send(new Request.Join("j", "#ops"));
        alice.expect(ServerFrame.Ok.class);
        InetSocketAddress address = server.address();
        try (Socket midHandshake = new Socket(address.getAddress(), address.getPort())) {
            midHandshake.setSoTimeout(10_000);

            long start = System.nanoTime();
            server.server().close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(alice.await(ServerFrame.Bye.class).reason()).isEqualTo(ServerFrame.Bye.SHUTDOWN.reason());
            alice.expectClosed();
            assertThat(bob.await(ServerFrame.Bye.class).reason()).isEqualTo(ServerFrame.Bye.SHUTDOWN.reason());
            bob.expectClosed();
            InputStream in = midHandshake.getInputStream();
            assertThat(in.read())
                    .as("the connection that never started TLS is closed")
                    .isEqualTo(-1);
            assertThat(took)
                    .as("a connection that cannot hear BYE does not hold shutdown for the grace period")
                    .isLessThan(Duration.ofSeconds(3));
        }
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .as("the listener no longer accepts")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void inPasswordModeAnUnauthenticatedConnectionIsClosedAndSessionsGetBye() throws Exception {
        server.close();
        Path users = tmp.resolve("users.json");
        try (TestServer passwordServer =
                TestServer.start(tmp.resolve("password"), c -> c.authentication(Authentication.password(users)))) {
            WireClient waiting = passwordServer.connect((Credentials) null);
            waiting.expect(ServerFrame.AuthRequired.class);
            WireClient alice = passwordServer.connect((Credentials) null);
            alice.expect(ServerFrame.AuthRequired.class);
            alice.send(new Request.Auth("a", "alice", "correct horse"));
            alice.expect(ServerFrame.Welcome.class);

            passwordServer.server().close();

            assertThat(alice.expect(ServerFrame.Bye.class).reason()).isEqualTo(ServerFrame.Bye.SHUTDOWN.reason());
            alice.expectClosed();
            waiting.expectClosed();
            InetSocketAddress address = passwordServer.address();
            assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }
}
