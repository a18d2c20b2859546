package org.tlschat.protocol.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.ServerFrame;

/**
 * Server side: {@link ServerFrame} → one JSON line. A {@code ByteBuf} written to the channel passes
 * through untouched, so a MSG encoded once can be written to many channels as retained duplicates.
 */
@Sharable
public final class ServerFrameEncoder extends MessageToMessageEncoder<ServerFrame> {

    private final FrameCodec codec;

    public ServerFrameEncoder(FrameCodec codec) {
        super(ServerFrame.class);
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerFrame frame, List<Object> out) {
        out.add(codec.encode(frame, ctx.alloc()));
    }
}
