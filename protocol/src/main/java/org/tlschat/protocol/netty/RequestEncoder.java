package org.tlschat.protocol.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Request;

/** Client side: {@link Request} → one JSON line. */
@Sharable
public final class RequestEncoder extends MessageToMessageEncoder<Request> {

    private final FrameCodec codec;

    public RequestEncoder(FrameCodec codec) {
        super(Request.class);
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Request request, List<Object> out) {
        out.add(codec.encode(request, ctx.alloc()));
    }
}
