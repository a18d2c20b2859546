package org.tlschat.server.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One authenticated connection of a user. Its rooms change only on its own event loop; other
 * threads deliver to it through {@link #deliver}, which never blocks; the connection's outbound
 * budget ({@code server/connection/OutboundBudget}) cuts a session that does not drain what it is sent.
 */
public final class Session {
    private final String id;
    private final String user;
    private final Channel channel;
    private final BigInteger certificateSerial;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> knownEverywhere = new CompletableFuture<>();

    public Session(String id, String user, Channel channel, BigInteger certificateSerial) {
        this.id = id;
        this.user = user;
        this.channel = channel;
        this.certificateSerial = certificateSerial;
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
    }

    public Channel channel() {
        return channel;
    }

    /** Serial of the client certificate (mtls), or null (password mode). */
    public BigInteger certificateSerial() {
        return certificateSerial;
    }

    public Set<String> rooms() {
        return rooms;
    }

    /**
     * Completes once every node of the cluster has this session in its presence table (at once on
     * a single node): from then on a message sent to the user from any node reaches it.
     */
    public CompletableFuture<Void> knownEverywhere() {
        return knownEverywhere;
    }

    /**
     * Writes an encoded frame that the caller owns (this method takes over one reference). It
     * counts against the connection's outbound budget like every write: a session whose unsent data
     * would pass its limit is cut off instead of growing.
     */
    public void deliver(ByteBuf frame) {
        if (!channel.isActive()) {
            frame.release();
            return;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    @Override
    public String toString() {
        return id + "(" + user + ")";
    }
}
