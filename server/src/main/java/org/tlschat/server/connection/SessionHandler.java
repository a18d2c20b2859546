package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletionException;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.hub.ChatException;
import org.tlschat.server.hub.Hub;
import org.tlschat.server.hub.Session;

/** One authenticated session: turns each request into a Hub call and answers it. */
final class SessionHandler extends SimpleChannelInboundHandler<Request> {
    private final Session session;
    private final Hub hub;
    private final ServerMetrics metrics;
    private final RateLimiter rateLimiter;

    SessionHandler(Session session, Hub hub, SessionLimits limits, ServerMetrics metrics) {
        this.session = session;
        this.hub = hub;
        this.metrics = metrics;
        this.rateLimiter = RateLimiter.perSecond(limits.rateLimit(), limits.rateBurst());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Request request) {
        if (Connection.of(ctx.channel()).isClosing()) {
            return;
        }
        try {
            ServerFrame reply = handle(ctx, request);
            if (reply != null) {
                ctx.writeAndFlush(reply);
            }
        } catch (ChatException e) {
            ctx.writeAndFlush(error(request.id(), e));
        }
    }

    /** The ERR for a refused request; anything but a ChatException is an internal error. */
    private ServerFrame.Err error(String re, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ChatException refused = cause instanceof ChatException c
                ? c
                : new ChatException(ErrorCode.INTERNAL, "the message could not be confirmed");
        metrics.error(refused.code());
        return new ServerFrame.Err(re, refused.code(), refused.getMessage(), false);
    }

    private ServerFrame handle(ChannelHandlerContext ctx, Request request) throws ChatException {
        if (request instanceof Request.Send send) {
            if (rateLimiter != null && !rateLimiter.tryAcquire(System.nanoTime())) {
                throw new ChatException(ErrorCode.RATE_LIMITED, "slow down: message not sent");
            }
            hub.send(session, send.to(), send.text())
                    .whenComplete((id, failure) -> ctx.writeAndFlush(
                            failure == null ? new ServerFrame.Ok(send.id(), id) : error(send.id(), failure)));
            return null;
        }
        if (request instanceof Request.ListUsers list) {
            return list.room() == null
                    ? new ServerFrame.Users(list.id(), null, hub.users())
                    : new ServerFrame.Users(list.id(), list.room(), hub.members(list.room()));
        }
        if (request instanceof Request.Join join) {
            // OK once the whole cluster knows; a peer that never confirms is dropped from the view
            hub.join(session, join.room())
                    .whenComplete((applied, late) -> ctx.writeAndFlush(new ServerFrame.Ok(join.id(), null)));
            return null;
        }
        if (request instanceof Request.Part part) {
            hub.part(session, part.room());
            return new ServerFrame.Ok(part.id(), null);
        }
        if (request instanceof Request.Ping ping) {
            return new ServerFrame.Pong(ping.id());
        }
        if (request instanceof Request.Quit) {
            Connection.of(ctx.channel()).closeAfter(ServerFrame.Bye.QUIT, CloseReason.CLIENT_QUIT);
            return null;
        }
        throw new ChatException(
                ErrorCode.BAD_FRAME, "already authenticated; AUTH is only the first frame in password mode");
    }
}
