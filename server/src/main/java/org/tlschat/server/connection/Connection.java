package org.tlschat.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.hub.Session;

/** What the server knows about one connection, kept on its channel from accept to close. */
public final class Connection {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

    private final Channel channel;
    private volatile Session session;
    private volatile String user;
    private volatile CloseReason reason;

    private Connection(Channel channel) {
        this.channel = channel;
    }

    static Connection attach(Channel channel) {
        Connection c = new Connection(channel);
        channel.attr(KEY).set(c);
        return c;
    }

    public static Connection of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public Session session() { return session; }

    public String user() { return user; }

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
