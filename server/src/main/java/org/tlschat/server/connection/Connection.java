package org.tlschat.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.hub.Session;

/** What the server knows about one connection, kept on its channel from accept to close. */
public final class Connection {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

    private final Channel channel;
    private final ServerMetrics metrics;
    private volatile Session session;
    private volatile String user;
    private volatile CloseReason reason;

    private Connection(Channel channel, ServerMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    /** {@code metrics} counts the error of every {@linkplain #fail fatal close} of this connection. */
    static Connection attach(Channel channel, ServerMetrics metrics) {
        Connection c = new Connection(channel, metrics);
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
        CloseReason r = reason;
        return r == null ? CloseReason.CLIENT_CLOSED : r;
    }

    void identified(String user) {
        this.user = user;
    }

    void opened(Session session) {
        this.session = session;
    }

    /** True once a reason to close was recorded. */
    public boolean isClosing() {
        return reason != null;
    }

    /** Records the reason (the first one wins) without sending anything. */
    public void markClosing(CloseReason why) {
        if (reason == null) {
            reason = why;
        }
    }

    /**
     * Ends the connection for an error: records the reason (the first one wins), counts the error,
     * sends a fatal ERR and closes once it is written (or could not be).
     *
     * <p>This and {@link #failNow} are the one path by which the server ends a connection for an
     * error; every fatal ERR goes through here, so a write deadline (a peer that stops reading must
     * still be closed) belongs here too.
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
        ServerFrame.Err err = new ServerFrame.Err(null, code, message, true);
        if (now) {
            markClosing(why);
            channel.writeAndFlush(err);
            closeNow(why);
        } else {
            closeAfter(err, why);
        }
    }

    /** Sends a last frame, then closes once it is written (or could not be). */
    public void closeAfter(ServerFrame lastFrame, CloseReason why) {
        markClosing(why);
        if (channel.isActive()) {
            channel.writeAndFlush(lastFrame).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Closes at once, dropping whatever is still queued for the peer. */
    public void closeNow(CloseReason why) {
        markClosing(why);
        channel.close();
    }
}
