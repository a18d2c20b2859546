package org.tlschat.server.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.hub.ChatException;
import org.tlschat.server.hub.Hub;
import org.tlschat.server.hub.Session;

/** Turns an identified connection into a session: registers it, says WELCOME, hands over to the SessionHandler. */
final class SessionOpener {
    private static final Logger log = LoggerFactory.getLogger(SessionOpener.class);

    private final Hub hub;
    private final SessionLimits limits;
    private final Quotas quotas;
    private final ServerFrame.FrameLimits announced;
    private final ServerMetrics metrics;
    private final Admission admission;

    SessionOpener(Hub hub, ServerConfig config, ServerMetrics metrics, Admission admission) {
        this.hub = hub;
        this.limits = config.limits();
        this.quotas = config.quotas();
        this.metrics = metrics;
        this.admission = admission;
        this.announced = new ServerFrame.FrameLimits(
                limits.maxFrame(),
                Limits.MAX_TEXT_CODE_POINTS,
                (int) Math.max(
                        1, Math.min(Integer.MAX_VALUE, config.timeouts().idle().toSeconds())),
                quotas.roomsPerSession(),
                limits.rateLimit(),
                limits.rateBurst(),
                quotas.requestRate(),
                quotas.requestBurst());
    }

    void open(ChannelHandlerContext ctx, ChannelHandler gate, String user, BigInteger certificateSerial) {
        Connection connection = Connection.of(ctx.channel());
        if (connection.isClosing()) {
            return; // closed while TLS or the password check finished: no session
        }
        connection.identified(user);
        Session session;
        try {
            session = hub.open(user, ctx.channel(), certificateSerial, quotas.sessionsPerUser());
        } catch (ChatException refused) {
            log.info("session of {} from {} refused: {}", user, ctx.channel().remoteAddress(), refused.getMessage());
            connection.fail(refused.code(), refused.getMessage(), CloseReason.LIMIT_REACHED);
            return;
        }
        connection.opened(session);
        admission.authenticated(ctx.channel());
        ctx.pipeline().get(OutboundBudget.class).sessionOpened(ctx.channel());
        ctx.pipeline().replace(gate, "session", new SessionHandler(session, hub, limits, quotas, metrics));
        // WELCOME once the whole cluster knows the session, so a DM sent to it right after reaches it
        session.knownEverywhere()
                .thenRun(() -> ctx.writeAndFlush(
                        new ServerFrame.Welcome(user, session.id(), hub.node(), Limits.SERVER_NAME, announced)));
        log.info(
                "session {} opened: {} from {} ({})",
                session.id(),
                user,
                ctx.channel().remoteAddress(),
                certificateSerial == null ? "password" : "certificate");
    }
}
