package org.tlschat.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlschat.protocol.Lines.take;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

class FrameEncoderTest {

    private final FrameCodec codec = new FrameCodec();

    @Test
    void serverFrameEncoderWritesOneJsonLine() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerFrameEncoder(codec));

        channel.writeOutbound(new ServerFrame.Pong("1"));

        assertThat(take(channel.readOutbound())).isEqualTo("{\"type\":\"PONG\",\"re\":\"1\"}\n");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void requestEncoderWritesOneJsonLine() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestEncoder(codec));

        channel.writeOutbound(new Request.Join("1", "#ops"));

        assertThat(take(channel.readOutbound())).isEqualTo("{\"op\":\"JOIN\",\"id\":\"1\",\"room\":\"#ops\"}\n");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aMessageEncodedOnceIsWrittenToManyChannelsAsRetainedDuplicates() {
        ByteBuf msg = codec.encode(
                new ServerFrame.Msg("n1-9", "alice", "#ops", "hi", "2026-11-23T10:15:30.123Z"),
                PooledByteBufAllocator.DEFAULT);
        List<EmbeddedChannel> recipients = List.of(
                new EmbeddedChannel(new ServerFrameEncoder(codec)),
                new EmbeddedChannel(new ServerFrameEncoder(codec)),
                new EmbeddedChannel(new ServerFrameEncoder(codec)));

        String expected = msg.toString(StandardCharsets.UTF_8);
        List<ByteBuf> copies = recipients.stream()
                .map(channel -> {
                    ByteBuf copy = msg.retainedDuplicate();
                    channel.writeOutbound(copy);
                    return copy;
                })
                .toList();
        msg.release();

        for (int i = 0; i < recipients.size(); i++) {
            ByteBuf written = recipients.get(i).readOutbound();
            assertThat(written).as("passed through untouched").isSameAs(copies.get(i));
            assertThat(take(written)).isEqualTo(expected);
        }
        assertThat(msg.refCnt()).isZero();
    }
}
