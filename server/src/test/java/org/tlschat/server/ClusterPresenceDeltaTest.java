package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestCluster;
import org.tlschat.server.testing.WireClient;

/**
 * A JOIN or PART crosses the cluster as a delta (user, room, count), not as the user's whole room
 * list: one session joining hundreds of rooms costs every peer the same few bytes per JOIN, and the
 * other nodes still see the right members, also a node that joins the cluster afterwards.
 */
class ClusterPresenceDeltaTest {
    private static final int ROOMS = 500;
    /** Rooms bob (on another node) shares with alice. */
    private static final List<String> SHARED = List.of("#r0", "#r7", "#r250", "#r499");

    @TempDir
    Path tmp;

    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theBytesAJoinSendsDoNotGrowWithTheRoomsOfTheSessionAndPeersSeeTheRightMembers() throws Exception {
        cluster = TestCluster.start(
                tmp, 2, c -> c.quotas(Quotas.OFF)); // 500 rooms: past the room cap and the request burst
        WireClient bob = cluster.login("bob", "n2");
        for (String room : SHARED) {
            bob.send(new Request.Join("b", room)).expect(ServerFrame.Ok.class);
        }
        WireClient alice = cluster.login("alice", "n1");
        cluster.awaitUsersEverywhere("alice", "bob");
        InetSocketAddress n1 = cluster.node("n1").adminAddress();

        List<Double> bytesPerJoin = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            boolean measured = i < 5 || i >= ROOMS - 5;
            double before = measured ? sentBytes(n1) : 0;
            alice.send(new Request.Join("j" + i, "#r" + i)).await(ServerFrame.Ok.class);
            if (measured) {
                bytesPerJoin.add(sentBytes(n1) - before);
            }
        }

        double first = bytesPerJoin.subList(0, 5).stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElseThrow();
        assertThat(bytesPerJoin)
                .as("bytes n1 sent its peer for each of alice's first and last 5 JOINs (of %d)", ROOMS)
                .allSatisfy(bytes -> assertThat(bytes).isPositive().isLessThan(first + 32));
        assertThat(first).as("one delta, not a room list").isLessThan(300);

        for (String room : SHARED) {
            assertThat(bob.await(ServerFrame.Presence.class))
                    .isEqualTo(new ServerFrame.Presence("alice", PresenceEvent.JOIN, room));
        }
        for (String room : List.of("#r0", "#r250", "#r499")) {
            bob.send(new Request.ListUsers("l", room));
            assertThat(bob.expect(ServerFrame.Users.class).users())
                    .as(room)
                    .containsExactly(new UserEntry("alice", 1), new UserEntry("bob", 1));
        }
        bob.send(new Request.ListUsers("l", "#r123"));
        assertThat(bob.expect(ServerFrame.Users.class).users()).containsExactly(new UserEntry("alice", 1));

        alice.send(new Request.Part("p", "#r7")).expect(ServerFrame.Ok.class);
        assertThat(bob.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("alice", PresenceEvent.PART, "#r7"));
        bob.send(new Request.ListUsers("l", "#r7"));
        assertThat(bob.expect(ServerFrame.Users.class).users()).containsExactly(new UserEntry("bob", 1));

        alice.send(new Request.Quit("q")).await(ServerFrame.Bye.class);
        for (String room : List.of("#r0", "#r250", "#r499")) {
            assertThat(bob.expect(ServerFrame.Presence.class))
                    .isEqualTo(new ServerFrame.Presence("alice", PresenceEvent.PART, room));
        }
        assertThat(bob.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("alice", PresenceEvent.OFFLINE, null));
        bob.send(new Request.ListUsers("l", "#r123"));
        bob.expectErr(ErrorCode.NO_SUCH_ROOM);
    }

    @Test
    void aNodeThatJoinsLaterGetsTheRoomsFromTheSnapshotAndTheDeltasAfterIt() throws Exception {
        cluster = TestCluster.start(tmp, 3);
        cluster.stopNode("n3");
        cluster.awaitView(2);
        WireClient alice = cluster.login("alice", "n1");
        for (int i = 0; i < 50; i++) {
            alice.send(new Request.Join("j" + i, "#r" + i)).expect(ServerFrame.Ok.class);
        }
        alice.send(new Request.Part("p", "#r7")).expect(ServerFrame.Ok.class);

        cluster.startNode("n3");
        cluster.awaitView(3);
        WireClient carol = cluster.login("carol", "n3");
        cluster.awaitUsersEverywhere("alice", "carol");
        carol.send(new Request.ListUsers("l", "#r49"));
        assertThat(carol.expect(ServerFrame.Users.class).users()).containsExactly(new UserEntry("alice", 1));
        carol.send(new Request.ListUsers("l", "#r7"));
        carol.expectErr(ErrorCode.NO_SUCH_ROOM);

        carol.send(new Request.Join("c", "#r7")).expect(ServerFrame.Ok.class);
        alice.send(new Request.Join("j", "#r7")).expect(ServerFrame.Ok.class);
        assertThat(carol.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("alice", PresenceEvent.JOIN, "#r7"));
        alice.send(new Request.Part("p", "#r0")).expect(ServerFrame.Ok.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String node : List.of("n1", "n2", "n3")) {
                assertThat(cluster.node(node).hub().members("#r7"))
                        .as("#r7 on %s", node)
                        .containsExactly(new UserEntry("alice", 1), new UserEntry("carol", 1));
                assertThat(cluster.node(node).hub().members("#r1"))
                        .as("#r1 on %s", node)
                        .containsExactly(new UserEntry("alice", 1));
                assertThat(cluster.node(node).hub().users())
                        .extracting(UserEntry::user)
                        .containsExactly("alice", "carol");
            }
        });
        for (String node : List.of("n2", "n3")) {
            assertThatThrownBy(() -> cluster.node(node).hub().members("#r0"))
                    .as("#r0 on %s after alice parted it", node)
                    .hasMessageContaining("no members");
        }
    }

    /** Everything node n1 has sent on the cluster bus so far, in bytes. */
    private static double sentBytes(InetSocketAddress admin) {
        return AdminMetrics.sum(admin, "tlschat_cluster_sent_bytes_total");
    }
}
