package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Malformed and over-limit input gets the ERR the protocol names, and nobody else notices. */
class BadInputTest {
    @RegisterExtension
    final TestServer server = TestServer.perTest();

    WireClient alice;
    WireClient bob;

    @BeforeEach
    void logIn() throws Exception {
        alice = server.login("alice");
        bob = server.login("bob");
    }

    @Test
    void invalidJsonIsANonFatalBadFrame() {
        alice.sendLine("{not json");

        ServerFrame.Err err = alice.expectErr(ErrorCode.BAD_FRAME);
        assertThat(err.fatal()).isFalse();
        assertStillServed(alice);
    }

    @Test
    void unknownOpIsAnsweredWithItsId() {
        alice.sendLine("{\"op\":\"FLY\",\"id\":\"7\"}");

        assertThat(alice.expectErr(ErrorCode.UNKNOWN_OP).re()).isEqualTo("7");
    }

    @Test
    void missingOrMistypedFieldsAreBadFrames() {
        alice.sendLine("{\"op\":\"SEND\",\"id\":\"1\",\"to\":\"bob\"}");
        alice.expectErr(ErrorCode.BAD_FRAME);
        alice.sendLine("{\"op\":\"SEND\",\"id\":\"2\",\"to\":42,\"text\":\"x\"}");
        alice.expectErr(ErrorCode.BAD_FRAME);
        alice.sendLine("[1,2,3]");
        alice.expectErr(ErrorCode.BAD_FRAME);
        assertStillServed(alice);
    }

    @Test
    void badNamesAndOverlongTextAreRefused() {
        alice.send(new Request.Join("1", "ops"));
        alice.expectErr(ErrorCode.BAD_NAME);
        alice.send(new Request.Send("2", "Bob!", "hi"));
        alice.expectErr(ErrorCode.BAD_NAME);
        alice.send(new Request.Send("3", "bob", "x".repeat(8193)));
        alice.expectErr(ErrorCode.TEXT_TOO_LONG);

        alice.send(new Request.Send("4", "bob", "x".repeat(8192)));
        alice.expect(ServerFrame.Ok.class);
        assertThat(bob.expect(ServerFrame.Msg.class).text()).hasSize(8192);
    }

    @Test
    void emptyLinesAndCarriageReturnsAreIgnored() {
        alice.sendLine("");
        alice.sendLine("\r");
        alice.sendLine("{\"op\":\"PING\",\"id\":\"p\"}\r");

        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("p");
    }

    @Test
    void aLineOverTheMaximumFrameIsFatal() {
        alice.sendBytes(Unpooled.wrappedBuffer(new byte[70_000]));

        ServerFrame.Err err = alice.expectErr(ErrorCode.FRAME_TOO_LARGE);
        assertThat(err.fatal()).isTrue();
        alice.expectClosed();
        assertStillServed(bob);
    }

    @Test
    void theTenthBadFrameClosesTheConnection() {
        for (int i = 1; i <= 10; i++) {
            alice.sendLine("garbage " + i);
        }

        for (int i = 1; i <= 10; i++) {
            alice.expectErr(ErrorCode.BAD_FRAME);
        }
        ServerFrame.Err last = alice.expectErr(ErrorCode.TOO_MANY_ERRORS);
        assertThat(last.fatal()).isTrue();
        alice.expectClosed();
        assertStillServed(bob);
    }

    @Test
    void aSpoofedFromIsIgnored() {
        alice.sendLine("{\"op\":\"SEND\",\"id\":\"1\",\"to\":\"bob\",\"text\":\"I am carol\",\"from\":\"carol\"}");

        alice.expect(ServerFrame.Ok.class);
        assertThat(bob.expect(ServerFrame.Msg.class).from()).isEqualTo("alice");
    }

    private static void assertStillServed(WireClient client) {
        client.send(new Request.Ping("alive"));
        assertThat(client.await(ServerFrame.Pong.class).re()).isEqualTo("alive");
    }
}
