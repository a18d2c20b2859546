package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletionException;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Quotas;
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
    private final RateLimiter requestLimiter;
    private final int maxRooms;

    SessionHandler(Session session, Hub hub, SessionLimits limits, Quotas quotas, ServerMetrics metrics) {
        this.session = session;
        this.hub = hub;
        this.metrics = metrics;
        this.rateLimiter = RateLimiter.perSecond(limits.rateLimit(), limits.rateBurst());
        this.requestLimiter = RateLimiter.perSecond(quotas.requestRate(), quotas.requestBurst());
        this.maxRooms = quotas.roomsPerSession();
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
        // every op but QUIT spends the request budget; SEND also spends its own message rate below
        if (!(request instanceof Request.Quit)
                && requestLimiter != null
                && !requestLimiter.tryAcquire(System.nanoTime())) {
            throw new ChatException(
                    ErrorCode.RATE_LIMITED, "slow down: too many requests, this one was not carried out");
        }
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
            // rooms change only on this loop, so the check and the join cannot interleave with another
            if (maxRooms > 0
                    && session.rooms().size() >= maxRooms
                    && !session.rooms().contains(join.room())) {
                throw new ChatException(ErrorCode.LIMIT_REACHED, "rooms per session: " + maxRooms);
            }
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
