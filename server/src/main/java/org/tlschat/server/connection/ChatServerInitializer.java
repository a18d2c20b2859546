package org.tlschat.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.netty.RequestDecoder;
import org.tlschat.protocol.netty.ServerFrameEncoder;
import org.tlschat.server.AuthMode;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.auth.PasswordVerifier;
import org.tlschat.server.hub.Hub;

/** Builds each client connection's pipeline, in the order the bytes flow. */
public final class ChatServerInitializer extends ChannelInitializer<Channel> {
    private static final Logger log = LoggerFactory.getLogger(ChatServerInitializer.class);

    private final Supplier<SslContext> tls;
    private final ServerConfig config;
    private final FrameCodec codec;
    private final Hub hub;
    private final ServerMetrics metrics;
    private final ChannelGroup channels;
    private final SessionOpener opener;
    private final PasswordGate.Factory passwordGate;
    private final Admission admission;

    /** {@code tls} is asked per connection, so a reloaded certificate applies to new connections. */
    public ChatServerInitializer(
            Supplier<SslContext> tls,
            ServerConfig config,
            FrameCodec codec,
            Hub hub,
            ServerMetrics metrics,
            ChannelGroup channels,
            PasswordVerifier passwords) {
        this.tls = tls;
        this.config = config;
        this.codec = codec;
        this.hub = hub;
        this.metrics = metrics;
        this.channels = channels;
        this.admission = new Admission(config.quotas(), metrics);
        this.opener = new SessionOpener(hub, config, metrics, admission);
        this.passwordGate = config.authentication().mode() == AuthMode.PASSWORD
                ? new PasswordGate.Factory(opener, passwords, config.timeouts().authentication(), metrics)
                : null;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!admission.admit(ch)) {
            ch.close();
            return;
        }
        Connection.attach(ch, metrics, config.timeouts().closeGrace());
        channels.add(ch);
        metrics.connectionOpened();
        ch.closeFuture().addListener(f -> closed(ch));
        Duration welcome = config.timeouts().welcome();
        ch.eventLoop().schedule(() -> welcomeDeadline(ch, welcome), welcome.toMillis(), TimeUnit.MILLISECONDS);

        SslHandler tlsHandler = tls.get().newHandler(ch.alloc());
        tlsHandler.setHandshakeTimeoutMillis(config.timeouts().handshake().toMillis());
        // a close_notify waits no longer than the close grace (Connection forces the close then anyway)
        tlsHandler.setCloseNotifyFlushTimeoutMillis(
                config.timeouts().closeGrace().toMillis());
        ch.pipeline()
                .addLast("tls", tlsHandler)
                .addLast(
                        "flush",
                        new FlushConsolidationHandler(
                                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                .addLast("budget", new OutboundBudget(config.limits()))
                .addLast("idle", new IdleStateHandler(config.timeouts().idle().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast("framer", new LineBasedFrameDecoder(config.limits().maxFrame(), true, true))
                .addLast("decoder", new RequestDecoder(codec))
                .addLast("encoder", new ServerFrameEncoder(codec))
                .addLast("guard", new ConnectionGuard(metrics))
                .addLast("gate", new HandshakeGate(opener, passwordGate, metrics))
                .addLast("failures", new FailureHandler());
    }

    /**
     * No session yet, so long after the TCP accept: whatever the peer is doing (nothing, a trickled
     * handshake, no AUTH), it holds a socket without being anyone. Past the TLS handshake it is told.
     */
    private static void welcomeDeadline(Channel ch, Duration welcome) {
        Connection connection = Connection.of(ch);
        if (!ch.isActive() || connection.session() != null || connection.isClosing()) {
            return;
        }
        SslHandler tlsHandler = ch.pipeline().get(SslHandler.class);
        if (tlsHandler != null && tlsHandler.handshakeFuture().isSuccess()) {
            connection.fail(
                    ErrorCode.AUTH_TIMEOUT,
                    "no session within " + welcome.toSeconds() + " s of connecting",
                    CloseReason.WELCOME_TIMEOUT);
        } else {
            connection.closeNow(CloseReason.WELCOME_TIMEOUT);
        }
    }

    private void closed(Channel ch) {
        Connection connection = Connection.of(ch);
        CloseReason reason = connection.reason();
        metrics.connectionClosed(reason.label());
        if (connection.session() != null) {
            hub.close(connection.session());
            log.info(
                    "session {} closed: {} from {}: {}",
                    connection.session().id(),
                    connection.user(),
                    ch.remoteAddress(),
                    reason.label());
        } else {
            log.debug("connection from {} closed before a session: {}", ch.remoteAddress(), reason.label());
        }
    }
}
