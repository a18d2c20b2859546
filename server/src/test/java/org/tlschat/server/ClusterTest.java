package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.testing.TestCluster;
import org.tlschat.server.testing.WireClient;

/** Three nodes in one JVM, one chat service: users on different nodes see and reach each other. */
class ClusterTest {
    @TempDir
    Path tmp;

    TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(
                tmp, 3, c -> c.limits(SessionLimits.DEFAULT.withRate(0, 1)).quotas(Quotas.OFF));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void listShowsUsersOfEveryNode() throws Exception {
        WireClient alice = cluster.login("alice", "n1");
        cluster.login("bob", "n2");
        cluster.login("bob", "n3");
        cluster.login("carol", "n3");
        cluster.awaitUsersEverywhere("alice", "bob", "carol");

        alice.send(new Request.ListUsers("1", null));

        assertThat(alice.expect(ServerFrame.Users.class).users())
                .containsExactly(new UserEntry("alice", 1), new UserEntry("bob", 2), new UserEntry("carol", 1));
    }

    @Test
    void aDirectMessageReachesEverySessionOfTheRecipientOnEveryNode() throws Exception {
        WireClient alice = cluster.login("alice", "n1");
        WireClient bobOnN1 = cluster.login("bob", "n1");
        WireClient bobOnN2 = cluster.login("bob", "n2");
        WireClient bobOnN3 = cluster.login("bob", "n3");
        cluster.awaitUsersEverywhere("alice", "bob");

        alice.send(new Request.Send("1", "bob", "across the cluster"));

        String id = alice.expect(ServerFrame.Ok.class).msg();
        for (WireClient bob : new WireClient[] {bobOnN1, bobOnN2, bobOnN3}) {
            ServerFrame.Msg msg = bob.expect(ServerFrame.Msg.class);
            assertThat(msg.msg()).isEqualTo(id);
            assertThat(msg.from()).isEqualTo("alice");
            assertThat(msg.text()).isEqualTo("across the cluster");
        }
    }

    @Test
    void aDirectMessageToSomeoneOfflineEverywhereIsRefused() throws Exception {
        WireClient alice = cluster.login("alice", "n1");

        alice.send(new Request.Send("1", "bob", "?"));

        alice.expectErr(ErrorCode.NO_SUCH_USER);
    }

    @Test
    void roomsSpanNodesWithPresenceAndMessages() throws Exception {
        WireClient alice = cluster.login("alice", "n1");
        WireClient bob = cluster.login("bob", "n2");
        WireClient carol = cluster.login("carol", "n3");
        alice.send(new Request.Join("1", "#ops")).expect(ServerFrame.Ok.class);
        awaitMembers("#ops", 1);

        bob.send(new Request.Join("2", "#ops")).expect(ServerFrame.Ok.class);
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.JOIN, "#ops"));
        awaitMembers("#ops", 2);

        carol.send(new Request.ListUsers("3", "#ops"));
        assertThat(carol.expect(ServerFrame.Users.class).users())
                .containsExactly(new UserEntry("alice", 1), new UserEntry("bob", 1));
        carol.send(new Request.Send("4", "#ops", "not a member"));
        carol.expectErr(ErrorCode.NOT_IN_ROOM);

        bob.send(new Request.Send("5", "#ops", "hello from n2"));
        bob.expect(ServerFrame.Ok.class);
        assertThat(alice.expect(ServerFrame.Msg.class).text()).isEqualTo("hello from n2");

        bob.send(new Request.Quit("6")).expect(ServerFrame.Bye.class);
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.PART, "#ops"));
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.OFFLINE, null));
    }

    @Test
    void aMessageSentRightAfterARemoteJoinIsOkReachesTheNewMember() throws Exception {
        WireClient alice = cluster.login("alice", "n1");
        alice.send(new Request.Join("1", "#fresh")).expect(ServerFrame.Ok.class);
        for (int round = 0; round < 20; round++) {
            WireClient bob = cluster.login("bob", "n" + (2 + round % 2));

            bob.send(new Request.Join("2", "#fresh")).expect(ServerFrame.Ok.class);
            alice.send(new Request.Send("3", "#fresh", "round " + round));

            assertThat(bob.await(ServerFrame.Msg.class).text()).isEqualTo("round " + round);
            bob.send(new Request.Quit("4")).await(ServerFrame.Bye.class);
            alice.await(ServerFrame.Ok.class);
        }
    }

    @Test
    void aBurstOfAHundredThousandMessagesAcrossNodesArrivesCompleteAndInOrder() throws Exception {
        WireClient alice = cluster.login("alice", "n1");
        WireClient bob = cluster.login("bob", "n2");
        cluster.awaitUsersEverywhere("alice", "bob");
        int total = 100_000;

        for (int i = 0; i < total; i++) {
            alice.send(new Request.Send(null, "bob", "m" + i));
        }

        for (int i = 0; i < total; i++) {
            assertThat(bob.expect(ServerFrame.Msg.class).text()).isEqualTo("m" + i);
        }
        for (int i = 0; i < total; i++) {
            alice.expect(ServerFrame.Ok.class);
        }
    }

    @Test
    void aNodeThatLeavesTakesItsUsersAndARestartedNodeCatchesUp() throws Exception {
        cluster.login("alice", "n1");
        cluster.login("bob", "n2");
        cluster.login("carol", "n3");
        cluster.awaitUsersEverywhere("alice", "bob", "carol");

        cluster.stopNode("n3");
        cluster.awaitView(2);
        cluster.awaitUsersEverywhere("alice", "bob");

        cluster.startNode("n3");
        cluster.awaitView(3);
        cluster.awaitUsersEverywhere("alice", "bob");
        WireClient carol = cluster.login("carol", "n3");
        cluster.awaitUsersEverywhere("alice", "bob", "carol");
        carol.send(new Request.Send("1", "alice", "back"));
        carol.expect(ServerFrame.Ok.class);
    }

    private void awaitMembers(String room, int members) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String node : new String[] {"n1", "n2", "n3"}) {
                assertThat(cluster.node(node).hub().members(room)).hasSize(members);
            }
        });
    }

    private static void drainOks(WireClient client, int n) {
        for (int i = 0; i < n; i++) {
            client.expect(ServerFrame.Ok.class);
        }
    }
}
