package org.tlschat.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.ServerFrame;

/**
 * Client side: lines → {@link ServerFrame}s, or {@link InvalidFrame}s for bad lines. Put it after
 * {@code new LineBasedFrameDecoder(maxFrame, true, true)}.
 */
@Sharable
public final class ServerFrameDecoder extends JsonLineDecoder {

    private final FrameCodec codec;

    public ServerFrameDecoder(FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    ServerFrame decodeLine(ByteBuf line) throws FrameException {
        return codec.decodeServerFrame(line);
    }
}
