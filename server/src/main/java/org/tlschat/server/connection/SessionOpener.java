package org.tlschat.server.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.hub.Hub;
import org.tlschat.server.hub.Session;

/** Turns an identified connection into a session: registers it, says WELCOME, hands over to the SessionHandler. */
final class SessionOpener {
    private static final Logger log = LoggerFactory.getLogger(SessionOpener.class);

    private final Hub hub;
    private final SessionLimits limits;
    private final ServerMetrics metrics;

    SessionOpener(Hub hub, SessionLimits limits, ServerMetrics metrics) {
        this.hub = hub;
        this.limits = limits;
        this.metrics = metrics;
    }

    void open(ChannelHandlerContext ctx, ChannelHandler gate, String user, BigInteger certificateSerial) {
        Connection connection = Connection.of(ctx.channel());
        if (connection.isClosing()) {
            return; // closed while TLS or the password check finished: no session
        }
        connection.identified(user);
        Session session = hub.open(user, ctx.channel(), certificateSerial);
        connection.opened(session);
        ctx.pipeline().get(OutboundBudget.class).sessionOpened(ctx.channel());
        ctx.pipeline().replace(gate, "session", new SessionHandler(session, hub, limits, metrics));
        // WELCOME once the whole cluster knows the session, so a DM sent to it right after reaches it
        session.knownEverywhere()
                .thenRun(() -> ctx.writeAndFlush(new ServerFrame.Welcome(
                        user,
                        session.id(),
                        hub.node(),
                        Limits.SERVER_NAME,
                        new ServerFrame.FrameLimits(limits.maxFrame(), Limits.MAX_TEXT_CODE_POINTS))));
        log.info(
                "session {} opened: {} from {} ({})",
                session.id(),
                user,
                ctx.channel().remoteAddress(),
                certificateSerial == null ? "password" : "certificate");
    }
}
