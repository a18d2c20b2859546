package org.tlschat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ClientOptions;
import org.tlschat.client.testing.Recorder;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.TestCluster;
import picocli.CommandLine;

/** {@code tlschat client} in script mode while the node it is on goes away: the notices go to stderr. */
class ScriptFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private TestCluster cluster;
    private ChatClient bob;

    @AfterEach
    void stop() {
        if (bob != null) {
            bob.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private String address(String node) {
        return "127.0.0.1:" + cluster.node(node).address().getPort();
    }

    @Test
    void scriptModePrintsOneReconnectNoticePerEventOnStderrAndCarriesOn() throws Exception {
        cluster = TestCluster.start(dir, 2);
        String n1 = address("n1");
        String n2 = address("n2");
        Recorder bobInbox = new Recorder();
        bob = ChatClient.connect(
                ClientOptions.builder()
                        .servers(n2)
                        .ca(cluster.pki().ca().layout().caCert())
                        .certificate(
                                cluster.pki().user("bob").cert(),
                                cluster.pki().user("bob").key())
                        .build(),
                bobInbox);
        Commands.await(bob.join("#ops"));
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> Cli.configure(new CommandLine(new ClientCommand(stdin, false)))
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute(
                                "--server",
                                n1 + "," + n2,
                                "--pki",
                                cluster.pki().ca().layout().dir().toString(),
                                "--user",
                                "alice"));
        typing.write("/join #ops\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> Commands.await(bob.list("#ops")).size() == 2);

        cluster.stopNode("n1");
        await().atMost(WAIT).until(() -> err.toString().contains("reconnected"));
        typing.write("back\n".getBytes(StandardCharsets.UTF_8));
        typing.close();

        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(err.toString().lines())
                .containsExactly(
                        "* connection to " + n1 + " lost (shutdown); reconnecting...",
                        "* reconnected to " + n2 + " as alice (rejoined #ops)");
        assertThat(out.toString()).doesNotContain("reconnect");
        await().atMost(WAIT).until(() -> !bobInbox.messages.isEmpty());
        assertThat(bobInbox.messages)
                .extracting(ServerFrame.Msg::from, ServerFrame.Msg::text)
                .containsExactly(Tuple.tuple("alice", "back"));
    }
}
