package org.tlschat.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Samples;

/** A client pipeline and a server pipeline, wired back to back through their bytes. */
class PipelineRoundTripTest {

    private final FrameCodec codec = new FrameCodec();
    private final EmbeddedChannel client = new EmbeddedChannel(
            new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true),
            new ServerFrameDecoder(codec),
            new RequestEncoder(codec));
    private final EmbeddedChannel server = new EmbeddedChannel(
            new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true),
            new RequestDecoder(codec),
            new ServerFrameEncoder(codec));

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void everyRequestReachesTheServerUnchanged() {
        assertThat(carry(client, server, Samples.requests())).isEqualTo(Samples.requests());
    }

    @Test
    void everyServerFrameReachesTheClientUnchanged() {
        assertThat(carry(server, client, Samples.serverFrames())).isEqualTo(Samples.serverFrames());
    }

    private static List<Object> carry(EmbeddedChannel from, EmbeddedChannel to, List<?> frames) {
        frames.forEach(from::write);
        from.flush();
        for (ByteBuf bytes; (bytes = from.readOutbound()) != null; ) {
            to.writeInbound(bytes);
        }
        List<Object> received = new ArrayList<>();
        for (Object frame; (frame = to.readInbound()) != null; ) {
            received.add(frame);
        }
        return received;
    }
}
