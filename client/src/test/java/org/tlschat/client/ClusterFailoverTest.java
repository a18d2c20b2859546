package org.tlschat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.testing.Recorder;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.TestCluster;

/** Failover across a real three-node cluster: the node a client is on goes away, the session moves on. */
class ClusterFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private TestCluster cluster;
    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private HostPort address(String node) {
        return new HostPort("127.0.0.1", cluster.node(node).address().getPort());
    }

    private ChatClient connect(String user, ChatListener listener, String... nodes) {
        ChatClient client = ChatClient.connect(
                ClientOptions.builder()
                        .servers(Arrays.stream(nodes).map(this::address).toList())
                        .ca(cluster.pki().ca().layout().caCert())
                        .certificate(
                                cluster.pki().user(user).cert(),
                                cluster.pki().user(user).key())
                        .build(),
                listener);
        clients.add(client);
        return client;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void losingItsNodeMovesTheSessionToAnotherNodeWithItsRooms() throws Exception {
        cluster = TestCluster.start(dir, 3);
        HostPort n1 = address("n1");
        Recorder aliceEvents = new Recorder();
        ChatClient alice = connect("alice", aliceEvents, "n1", "n2", "n3");
        Recorder bobEvents = new Recorder();
        ChatClient bob = connect("bob", bobEvents, "n2");
        get(alice.join("#ops"));
        get(bob.join("#ops"));
        cluster.awaitUsersEverywhere("alice", "bob");
        assertThat(alice.server()).isEqualTo(n1);

        cluster.stopNode("n1");

        await().atMost(WAIT).until(() -> aliceEvents.reconnected.size() == 1);
        assertThat(aliceEvents.reconnecting).containsExactly(Map.entry(n1, ServerFrame.Bye.SHUTDOWN.reason()));
        HostPort now = aliceEvents.reconnected.get(0).getKey();
        assertThat(now).isIn(address("n2"), address("n3")).isEqualTo(alice.server());
        assertThat(aliceEvents.reconnected.get(0).getValue().node()).isIn("n2", "n3");
        assertThat(alice.welcome().node()).isIn("n2", "n3");
        assertThat(alice.rooms()).containsExactly("#ops");
        assertThat(aliceEvents.closed).isEmpty();

        // bob saw alice leave #ops with n1 and come back
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(bobEvents.presence)
                        .filteredOn(p -> p.user().equals("alice"))
                        .extracting(ServerFrame.Presence::event, ServerFrame.Presence::room)
                        .contains(tuple(PresenceEvent.PART, "#ops"), tuple(PresenceEvent.JOIN, "#ops")));
        // and gets alice's next room message through the new node
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(get(bob.list("#ops")))
                        .extracting(ServerFrame.UserEntry::user)
                        .containsExactly("alice", "bob"));
        get(alice.send("#ops", "back on " + alice.welcome().node()));
        await().atMost(WAIT).until(() -> !bobEvents.messages.isEmpty());
        assertThat(bobEvents.messages)
                .extracting(ServerFrame.Msg::from, ServerFrame.Msg::text)
                .containsExactly(tuple("alice", "back on " + alice.welcome().node()));
    }
}
