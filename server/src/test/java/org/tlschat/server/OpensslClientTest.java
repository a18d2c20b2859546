package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.OpensslClient;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** The protocol page's promise: a person typing JSON lines into {@code openssl s_client} can chat. */
class OpensslClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @RegisterExtension
    final TestServer server = TestServer.perTest();

    OpensslClient openssl;

    @BeforeEach
    void start() throws Exception {
        openssl = OpensslClient.connect(
                server.address(),
                server.pki().ca().layout().caCert(),
                server.pki().user("alice"),
                tmp.resolve("openssl.err"));
    }

    @AfterEach
    void stop() {
        openssl.close();
    }

    @Test
    void opensslAsAliceIsWelcomedAndGetsUsersForATypedList() throws Exception {
        String first = openssl.nextLine(WAIT);
        assertThat(first).as("stderr: %s", stderr()).startsWith("{\"type\":\"WELCOME\"");
        ServerFrame.Welcome welcome = (ServerFrame.Welcome) OpensslClient.decode(first);
        assertThat(welcome.user()).isEqualTo("alice");

        openssl.typeLine("{\"op\":\"LIST\",\"id\":\"1\"}");

        String reply = openssl.nextLine(WAIT);
        assertThat(reply)
                .isEqualTo("{\"type\":\"USERS\",\"re\":\"1\",\"users\":[{\"user\":\"alice\",\"sessions\":1}]}");
    }

    @Test
    void aDirectMessageTypedIntoOpensslReachesAWireClientBob() throws Exception {
        openssl.await(ServerFrame.Welcome.class, WAIT);
        WireClient bob = server.login("bob");

        openssl.typeLine("{\"op\":\"SEND\",\"id\":\"2\",\"to\":\"bob\",\"text\":\"hi bob, from openssl\"}");

        ServerFrame.Ok ok = openssl.await(ServerFrame.Ok.class, WAIT);
        assertThat(ok.re()).isEqualTo("2");
        ServerFrame.Msg msg = bob.await(ServerFrame.Msg.class);
        assertThat(msg.from()).isEqualTo("alice");
        assertThat(msg.to()).isEqualTo("bob");
        assertThat(msg.text()).isEqualTo("hi bob, from openssl");
        assertThat(msg.msg()).isEqualTo(ok.msg());
    }

    @Test
    void aMessageToOpensslArrivesAsOneJsonLine() throws Exception {
        openssl.await(ServerFrame.Welcome.class, WAIT);
        WireClient bob = server.login("bob");

        bob.send(new Request.Send("3", "alice", "two\nlines"));
        bob.expect(ServerFrame.Ok.class);

        ServerFrame.Msg msg = openssl.await(ServerFrame.Msg.class, WAIT);
        assertThat(msg.from()).isEqualTo("bob");
        assertThat(msg.text()).isEqualTo("two\nlines");
    }

    private String stderr() throws Exception {
        Path err = tmp.resolve("openssl.err");
        return Files.exists(err) ? Files.readString(err) : "";
    }
}
