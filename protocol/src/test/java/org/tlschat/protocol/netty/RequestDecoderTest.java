package org.tlschat.protocol.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tlschat.protocol.Lines.buf;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;

/** The server's inbound path: bytes → line framer → {@link RequestDecoder}. */
class RequestDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true), new RequestDecoder(new FrameCodec()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void decodesLinesEndingInNewlineOrCrLf() {
        channel.writeInbound(buf("{\"op\":\"PING\",\"id\":\"1\"}\n{\"op\":\"QUIT\",\"id\":\"2\"}\r\n"));

        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Ping("1"));
        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Quit("2"));
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void ignoresEmptyAndBlankLines() {
        channel.writeInbound(buf("\n\r\n  \t\r\n{\"op\":\"PING\"}\n\n"));

        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Ping(null));
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void joinsALineSplitAcrossWrites() {
        channel.writeInbound(buf("{\"op\":\"SE"));
        channel.writeInbound(buf("ND\",\"to\":\"bob\",\"te"));
        assertThat(channel.<Object>readInbound()).isNull();

        channel.writeInbound(buf("xt\":\"hi 😀\"}\n{\"op\":\"PI"));
        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Send(null, "bob", "hi 😀"));

        channel.writeInbound(buf("NG\"}\r"), buf("\n"));
        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Ping(null));
    }

    @Test
    void joinsAMultiByteCharacterSplitAcrossWrites() {
        byte[] line = "{\"op\":\"SEND\",\"to\":\"bob\",\"text\":\"😀\"}\n".getBytes(UTF_8);
        int middleOfEmoji = line.length - 5;
        channel.writeInbound(Unpooled.wrappedBuffer(line, 0, middleOfEmoji));
        channel.writeInbound(Unpooled.wrappedBuffer(line, middleOfEmoji, line.length - middleOfEmoji));

        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Send(null, "bob", "😀"));
    }

    @Test
    void passesABadLineOnAsInvalidFrameAndKeepsGoing() {
        channel.writeInbound(
                buf("{\"op\":\"SEND\",\"id\":\"9\",\"to\":\"Bob\",\"text\":\"x\"}\nnot json\n{\"op\":\"PING\"}\n"));

        assertThat(channel.<Object>readInbound())
                .isEqualTo(new InvalidFrame(ErrorCode.BAD_NAME, "to must be a user name or a #room name", "9"));
        InvalidFrame notJson = channel.readInbound();
        assertThat(notJson.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(notJson.re()).isNull();
        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Ping(null));
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void invalidFrameAnswersWithANonFatalErr() {
        channel.writeInbound(buf("{\"op\":\"KICK\",\"id\":\"4\"}\n"));

        InvalidFrame invalid = channel.readInbound();
        assertThat(invalid.toErr().code()).isEqualTo(ErrorCode.UNKNOWN_OP);
        assertThat(invalid.toErr().re()).isEqualTo("4");
        assertThat(invalid.toErr().fatal()).isFalse();
    }

    @Test
    void acceptsALineOfExactlyTheMaximumFrame() {
        String head = "{\"op\":\"PING\",\"pad\":\"";
        String tail = "\"}";
        String line = head + "x".repeat(Limits.MAX_FRAME_BYTES - head.length() - tail.length()) + tail;

        channel.writeInbound(buf(line + "\n"));

        assertThat(channel.<Object>readInbound()).isEqualTo(new Request.Ping(null));
    }

    /** The server's connection handler turns this exception into the fatal ERR FRAME_TOO_LARGE and closes. */
    @Test
    void aLineOverTheMaximumFrameFailsInTheFramer() {
        String tooLong = "{\"op\":\"PING\",\"pad\":\"" + "x".repeat(Limits.MAX_FRAME_BYTES) + "\"}\n";

        assertThatThrownBy(() -> channel.writeInbound(buf(tooLong))).isInstanceOf(TooLongFrameException.class);
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void failsFastBeforeTheNewlineArrives() {
        assertThatThrownBy(() -> channel.writeInbound(buf("x".repeat(Limits.MAX_FRAME_BYTES + 1))))
                .isInstanceOf(TooLongFrameException.class);
    }
}
