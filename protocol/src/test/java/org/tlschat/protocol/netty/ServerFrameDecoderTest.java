package org.tlschat.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlschat.protocol.Lines.buf;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.ServerFrame;

/** The client's inbound path: bytes → line framer → {@link ServerFrameDecoder}. */
class ServerFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true), new ServerFrameDecoder(new FrameCodec()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void decodesFramesSplitAcrossWritesAndSkipsBlankLines() {
        channel.writeInbound(buf("{\"type\":\"PONG\",\"re\":\"1\"}\r\n\n{\"type\":\"O"));
        channel.writeInbound(buf("K\",\"re\":\"2\",\"msg\":\"n1-1\"}\n"));

        assertThat(channel.<Object>readInbound()).isEqualTo(new ServerFrame.Pong("1"));
        assertThat(channel.<Object>readInbound()).isEqualTo(new ServerFrame.Ok("2", "n1-1"));
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void passesABadLineOnAsInvalidFrame() {
        channel.writeInbound(buf("{\"type\":\"SHOUT\"}\n{\"type\":\"BYE\",\"reason\":\"quit\"}\n"));

        InvalidFrame invalid = channel.readInbound();
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(channel.<Object>readInbound()).isEqualTo(ServerFrame.Bye.QUIT);
    }
}
