package org.tlschat.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.hub.Session;

/** What the server knows about one connection, kept on its channel from accept to close. */
public final class Connection {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

    private final Channel channel;
    private final ServerMetrics metrics;
    private final Duration grace;
    private final AtomicReference<CloseReason> reason = new AtomicReference<>();
    private volatile Session session;
    private volatile String user;
    /** Event loop only: a forced close is already scheduled. */
    private boolean deadlineSet;

    private Connection(Channel channel, ServerMetrics metrics, Duration grace) {
        this.channel = channel;
        this.metrics = metrics;
        this.grace = grace;
    }

    /**
     * {@code metrics} counts the error of every {@linkplain #fail fatal close} of this connection;
     * {@code grace} is how long a close waits for its last frame before the socket is forced shut.
     */
    static Connection attach(Channel channel, ServerMetrics metrics, Duration grace) {
        Connection c = new Connection(channel, metrics, grace);
        channel.attr(KEY).set(c);
        return c;
    }

    public static Connection of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public Session session() {
        return session;
    }

    public String user() {
        return user;
    }

    /** The reason recorded first, or CLIENT_CLOSED when the peer simply went away. */
    public CloseReason reason() {
        CloseReason r = reason.get();
        return r == null ? CloseReason.CLIENT_CLOSED : r;
    }

    void identified(String user) {
        this.user = user;
    }

    void opened(Session session) {
        this.session = session;
    }

    /**
     * True once a close began. From then on no request of this connection is handled, not even one
     * already read: every handler that acts on a request checks this first.
     */
    public boolean isClosing() {
        return reason.get() != null;
    }

    /**
     * Ends the connection for an error: records the reason (the first one wins), counts the error,
     * sends a fatal ERR and closes once it is written, or after the close grace if it cannot be.
     *
     * <p>This and {@link #failNow} are the one path by which the server ends a connection for an
     * error. Like every close, it may be called from any thread, stops reading at once, and has a
     * deadline: a peer that stops reading is closed all the same.
     */
    public void fail(ErrorCode code, String message, CloseReason why) {
        fail(code, message, why, false);
    }

    /**
     * Like {@link #fail}, but for a peer whose queued data cannot reach it in time: the ERR is best
     * effort and the connection closes at once, dropping whatever is still queued.
     */
    public void failNow(ErrorCode code, String message, CloseReason why) {
        fail(code, message, why, true);
    }

    private void fail(ErrorCode code, String message, CloseReason why, boolean now) {
        metrics.error(code);
        // fatal whatever the code: INTERNAL and AUTH_FAILED are not always fatal, but are when they end a connection
        close(new ServerFrame.Err(null, code, message, true), why, now);
    }

    /** Sends a last frame (BYE), then closes once it is written, or after the close grace if it cannot be. */
    public void closeAfter(ServerFrame lastFrame, CloseReason why) {
        close(lastFrame, why, false);
    }

    /** Closes without a last frame (TLS still says close_notify), forced after the close grace. */
    public void closeNow(CloseReason why) {
        close(null, why, false);
    }

    /**
     * The one close: stop reading, try the last frame, and force the socket shut after the grace
     * whether or not the frame was written. Runs on the channel's event loop, whoever calls it.
     */
    private void close(ServerFrame lastFrame, CloseReason why, boolean now) {
        reason.compareAndSet(null, why);
        channel.config().setAutoRead(false);
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(lastFrame, why, now));
            return;
        }
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        if (now) {
            if (lastFrame != null) {
                channel.writeAndFlush(lastFrame, channel.voidPromise());
            }
            forceClose();
            return;
        }
        if (deadlineSet) {
            return; // a close is under way; its deadline holds
        }
        deadlineSet = true;
        ScheduledFuture<?> deadline =
                channel.eventLoop().schedule(this::forceClose, grace.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> deadline.cancel(false));
        if (lastFrame == null) {
            channel.close();
        } else {
            channel.writeAndFlush(lastFrame).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Closes the socket now, dropping what is queued: below TLS, so no close_notify waits on a peer
     * that does not read.
     */
    private void forceClose() {
        ChannelHandlerContext tls = channel.pipeline().context(SslHandler.class);
        if (tls != null) {
            tls.close();
        } else {
            channel.close();
        }
    }
}
