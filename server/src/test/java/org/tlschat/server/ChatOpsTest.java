package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Every op of the protocol, end to end over mutual TLS on loopback. */
class ChatOpsTest {
    @RegisterExtension
    final TestServer server = TestServer.perTest();

    @Test
    void welcomeNamesTheUserFromTheCertificateAndTheNode() throws Exception {
        ServerFrame.Welcome welcome = server.connect("alice").expect(ServerFrame.Welcome.class);

        assertThat(welcome.user()).isEqualTo("alice");
        assertThat(welcome.node()).isEqualTo("n1");
        assertThat(welcome.session()).startsWith("n1-");
        assertThat(welcome.server()).isEqualTo(Limits.SERVER_NAME);
        assertThat(welcome.limits())
                .as("the frame sizes, the idle timeout (s), max rooms, message and request rates and bursts")
                .isEqualTo(new ServerFrame.FrameLimits(65536, 8192, 90, 100, 100, 200, 200, 400));
    }

    @Test
    void listShowsEveryOnlineUserOnceWithSessionCounts() throws Exception {
        WireClient alice = server.login("alice");
        server.login("bob");
        server.login("bob");

        alice.send(new Request.ListUsers("1", null));

        ServerFrame.Users users = alice.expect(ServerFrame.Users.class);
        assertThat(users.re()).isEqualTo("1");
        assertThat(users.users()).containsExactly(new UserEntry("alice", 1), new UserEntry("bob", 2));
    }

    @Test
    void directMessageReachesEverySessionOfTheRecipientWithTheAuthenticatedSender() throws Exception {
        WireClient alice = server.login("alice");
        WireClient bob1 = server.login("bob");
        WireClient bob2 = server.login("bob");

        alice.sendLine("{\"op\":\"SEND\",\"id\":\"2\",\"to\":\"bob\",\"text\":\"hi bob\",\"from\":\"mallory\"}");

        ServerFrame.Ok ok = alice.expect(ServerFrame.Ok.class);
        assertThat(ok.re()).isEqualTo("2");
        assertThat(ok.msg()).startsWith("n1-");
        for (WireClient bob : List.of(bob1, bob2)) {
            ServerFrame.Msg msg = bob.expect(ServerFrame.Msg.class);
            assertThat(msg.from()).isEqualTo("alice");
            assertThat(msg.to()).isEqualTo("bob");
            assertThat(msg.text()).isEqualTo("hi bob");
            assertThat(msg.msg()).isEqualTo(ok.msg());
            assertThat(msg.ts()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
    }

    @Test
    void directMessageToSomeoneOfflineIsRefused() throws Exception {
        WireClient alice = server.login("alice");

        alice.send(new Request.Send("3", "mallory", "?"));

        ServerFrame.Err err = alice.expectErr(ErrorCode.NO_SUCH_USER);
        assertThat(err.re()).isEqualTo("3");
        assertThat(err.fatal()).isFalse();
        assertThat(err.message()).isEqualTo("mallory is not online");
    }

    @Test
    void roomMessageReachesEveryMemberSessionButTheSendersOwn() throws Exception {
        WireClient alice1 = server.login("alice");
        WireClient alice2 = server.login("alice");
        WireClient bob = server.login("bob");
        WireClient carol = server.login("carol");
        for (WireClient c : List.of(alice1, alice2, bob)) {
            c.send(new Request.Join("j", "#ops")).await(ServerFrame.Ok.class);
        }

        alice1.send(new Request.Send("s", "#ops", "deploy at 5"));

        assertThat(alice1.await(ServerFrame.Ok.class).re()).isEqualTo("s");
        assertThat(alice2.await(ServerFrame.Msg.class).text()).isEqualTo("deploy at 5");
        ServerFrame.Msg atBob = bob.await(ServerFrame.Msg.class);
        assertThat(atBob.to()).isEqualTo("#ops");
        assertThat(atBob.from()).isEqualTo("alice");
        carol.send(new Request.Ping("p"));
        assertThat(carol.expect(ServerFrame.Pong.class).re()).isEqualTo("p");
    }

    @Test
    void presenceTellsRoomMembersWhoJoinsPartsAndGoesOffline() throws Exception {
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");
        alice.send(new Request.Join("1", "#ops")).expect(ServerFrame.Ok.class);

        bob.send(new Request.Join("2", "#ops")).expect(ServerFrame.Ok.class);
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.JOIN, "#ops"));

        bob.send(new Request.Part("3", "#ops")).expect(ServerFrame.Ok.class);
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.PART, "#ops"));

        bob.send(new Request.Join("4", "#ops")).expect(ServerFrame.Ok.class);
        alice.expect(ServerFrame.Presence.class);
        bob.send(new Request.Quit("5")).expect(ServerFrame.Bye.class);
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.PART, "#ops"));
        assertThat(alice.expect(ServerFrame.Presence.class))
                .isEqualTo(new ServerFrame.Presence("bob", PresenceEvent.OFFLINE, null));
    }

    @Test
    void roomRulesAreEnforced() throws Exception {
        WireClient alice = server.login("alice");

        alice.send(new Request.Send("1", "#ops", "hello?"));
        assertThat(alice.expectErr(ErrorCode.NOT_IN_ROOM).re()).isEqualTo("1");

        alice.send(new Request.Part("2", "#ops"));
        alice.expectErr(ErrorCode.NOT_IN_ROOM);

        alice.send(new Request.ListUsers("3", "#ops"));
        alice.expectErr(ErrorCode.NO_SUCH_ROOM);

        alice.send(new Request.Join("4", "#ops")).expect(ServerFrame.Ok.class);
        alice.send(new Request.ListUsers("5", "#ops"));
        ServerFrame.Users members = alice.expect(ServerFrame.Users.class);
        assertThat(members.room()).isEqualTo("#ops");
        assertThat(members.users()).containsExactly(new UserEntry("alice", 1));

        alice.send(new Request.Part("6", "#ops")).expect(ServerFrame.Ok.class);
        alice.send(new Request.ListUsers("7", "#ops"));
        alice.expectErr(ErrorCode.NO_SUCH_ROOM);
    }

    @Test
    void roomMembershipEndsWithTheSession() throws Exception {
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");
        bob.send(new Request.Join("1", "#ops")).expect(ServerFrame.Ok.class);

        bob.send(new Request.Quit("2")).expect(ServerFrame.Bye.class);
        bob.expectClosed();

        // the server forgets the session once its side of the close is done, a moment after bob's
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            alice.send(new Request.ListUsers("3", "#ops"));
            assertThat(alice.next()).isInstanceOf(ServerFrame.Err.class);
        });
        alice.send(new Request.ListUsers("4", null));
        assertThat(alice.expect(ServerFrame.Users.class).users()).containsExactly(new UserEntry("alice", 1));
    }

    @Test
    void pingGetsPongAndQuitGetsByeThenClose() throws Exception {
        WireClient alice = server.login("alice");

        alice.send(new Request.Ping("p1"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("p1");

        alice.send(new Request.Quit("q"));
        assertThat(alice.expect(ServerFrame.Bye.class).reason()).isEqualTo(ServerFrame.Bye.QUIT.reason());
        alice.expectClosed();
    }

    @Test
    void authIsRefusedOnACertificateSession() throws Exception {
        WireClient alice = server.login("alice");

        alice.send(new Request.Auth("a", "bob", "secret-password"));

        assertThat(alice.expectErr(ErrorCode.BAD_FRAME).fatal()).isFalse();
        alice.send(new Request.ListUsers("l", null));
        assertThat(alice.expect(ServerFrame.Users.class).users()).containsExactly(new UserEntry("alice", 1));
    }
}
