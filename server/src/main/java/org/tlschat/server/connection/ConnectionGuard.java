package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.netty.InvalidFrame;
import org.tlschat.server.admin.ServerMetrics;

/**
 * Answers what the decoder could not turn into a request: a bad frame gets a non-fatal ERR and
 * the tenth one closes the connection; a peer silent past the idle timeout is cut off. Once the
 * connection is {@linkplain Connection#isClosing closing}, nothing it sent goes further, not even
 * frames already read.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private final ServerMetrics metrics;
    private int badFrames;

    ConnectionGuard(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (Connection.of(ctx.channel()).isClosing()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof InvalidFrame bad)) {
            ctx.fireChannelRead(msg);
            return;
        }
        metrics.error(bad.code());
        ctx.writeAndFlush(bad.toErr());
        if (++badFrames >= Limits.MAX_BAD_FRAMES) {
            Connection.of(ctx.channel())
                    .fail(
                            ErrorCode.TOO_MANY_ERRORS,
                            badFrames + " bad frames on this connection",
                            CloseReason.TOO_MANY_ERRORS);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            Connection.of(ctx.channel())
                    .fail(
                            ErrorCode.IDLE_TIMEOUT,
                            "no frame for too long; send PING every " + Limits.PING_INTERVAL.toSeconds() + " s",
                            CloseReason.IDLE_TIMEOUT);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
