package org.tlschat.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.server.ServerConfig.SessionLimits;

/**
 * One budget for every byte this connection has queued and not yet written to its socket: replies,
 * errors, deliveries and presence alike. Sits below the encoder, so it sees every write as bytes.
 *
 * <ul>
 *   <li>While the channel is unwritable (over half the budget) nothing is read from it: a peer
 *       cannot queue work faster than it drains the answers. Reading resumes below a quarter.
 *   <li>A write that would take the connection past its budget is dropped and the connection cut
 *       as a slow consumer ({@link Connection#failNow}).
 * </ul>
 *
 * <p>Before its session opens a connection has {@link SessionLimits#PRE_AUTH_PENDING_BYTES}; with
 * a session, {@link SessionLimits#maxPendingBytes()}.
 */
final class OutboundBudget extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(OutboundBudget.class);

    private final int sessionBudget;
    private int budget = SessionLimits.PRE_AUTH_PENDING_BYTES;

    OutboundBudget(SessionLimits limits) {
        this.sessionBudget = limits.maxPendingBytes();
    }

    /** The water marks for a budget: unwritable (stop reading) past half, writable again below a quarter. */
    static WriteBufferWaterMark waterMark(int budget) {
        return new WriteBufferWaterMark(budget / 4, budget / 2);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setWriteBufferWaterMark(waterMark(budget));
    }

    /** The session opened: from now on the session's budget applies. Event loop only. */
    void sessionOpened(Channel channel) {
        budget = sessionBudget;
        channel.config().setWriteBufferWaterMark(waterMark(budget));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long size = msg instanceof ByteBuf bytes ? bytes.readableBytes() : 0;
        ChannelOutboundBuffer queued = ctx.channel().unsafe().outboundBuffer();
        long pending = queued == null ? 0 : queued.totalPendingWriteBytes();
        if (pending + size <= budget) {
            ctx.write(msg, promise);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (!promise.isVoid()) {
            promise.tryFailure(new IllegalStateException("over the outbound budget"));
        }
        Connection connection = Connection.of(ctx.channel());
        if (connection.isClosing()) {
            return;
        }
        log.info(
                "connection from {} ({}) cut off: slow consumer, over {} bytes unsent",
                ctx.channel().remoteAddress(),
                connection.user() == null ? "not authenticated" : connection.user(),
                budget);
        connection.failNow(
                ErrorCode.SLOW_CONSUMER,
                "you read too slowly; more than " + budget + " bytes were waiting",
                CloseReason.SLOW_CONSUMER);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        channel.config()
                .setAutoRead(channel.isWritable() && !Connection.of(channel).isClosing());
        ctx.fireChannelWritabilityChanged();
    }
}
