package org.tlschat.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.List;
import org.tlschat.protocol.FrameException;

/**
 * Decodes one line (already split by a {@code LineBasedFrameDecoder}) into a frame, skips blank
 * lines, and turns a bad line into an {@link InvalidFrame} instead of an exception.
 */
abstract class JsonLineDecoder extends MessageToMessageDecoder<ByteBuf> {

    private static final ByteProcessor JSON_WHITESPACE = b -> b == ' ' || b == '\t' || b == '\r' || b == '\n';

    JsonLineDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
        if (line.forEachByte(JSON_WHITESPACE) == -1) {
            return; // empty or blank line: ignored by the protocol
        }
        try {
            out.add(decodeLine(line));
        } catch (FrameException e) {
            out.add(InvalidFrame.of(e));
        }
    }

    abstract Object decodeLine(ByteBuf line) throws FrameException;
}
