package org.tlschat.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.Request;

/**
 * Server side: lines → {@link Request}s, or {@link InvalidFrame}s for bad lines. Put it after
 * {@code new LineBasedFrameDecoder(maxFrame, true, true)}; that framer fires a
 * {@code TooLongFrameException} for an over-long line, which the connection handler answers with
 * the fatal {@code ERR FRAME_TOO_LARGE}.
 */
@Sharable
public final class RequestDecoder extends JsonLineDecoder {

    private final FrameCodec codec;

    public RequestDecoder(FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    Request decodeLine(ByteBuf line) throws FrameException {
        return codec.decodeRequest(line);
    }
}
