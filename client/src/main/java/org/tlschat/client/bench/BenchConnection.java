package org.tlschat.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.ServerFrame;

/**
 * One bench session: counts what arrives (MSG latency, OK, ERR by code) into {@link BenchStats}
 * and hands SEND replies to its {@link Publisher}, if it has one. Runs on its channel's event loop.
 */
final class BenchConnection extends SimpleChannelInboundHandler<ByteBuf> {
    private static final FrameCodec CODEC = new FrameCodec();

    private final BenchStats stats;
    private final String user;
    private final CompletableFuture<BenchConnection> welcomed = new CompletableFuture<>();
    private volatile CompletableFuture<Void> reply = CompletableFuture.completedFuture(null);
    private volatile Publisher publisher;
    private volatile boolean closing;
    private Channel channel;
    private ScheduledFuture<?> pings;

    BenchConnection(BenchStats stats, String user) {
        this.stats = stats;
        this.user = user;
    }

    String user() {
        return user;
    }

    Channel channel() {
        return channel;
    }

    /** Completes when WELCOME arrives; fails when the connection closes before. */
    CompletableFuture<BenchConnection> welcomed() {
        return welcomed;
    }

    /** Joins {@code room}; completes on its OK. */
    CompletableFuture<Void> join(String room) {
        CompletableFuture<Void> joined = new CompletableFuture<>();
        reply = joined;
        channel.writeAndFlush(Unpooled.wrappedBuffer(WireLines.join(room)));
        return joined;
    }

    void publishWith(Publisher sender) {
        this.publisher = sender;
    }

    /** Closes without counting the close as an error. */
    void close() {
        closing = true;
        channel.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long ping = Limits.PING_INTERVAL.toMillis();
        pings = ctx.executor()
                .scheduleAtFixedRate(
                        () -> channel.writeAndFlush(Unpooled.wrappedBuffer(WireLines.ping())),
                        ping,
                        ping,
                        TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        switch (WireLines.type(line)) {
            case MSG -> {
                stats.delivered.increment();
                long sentAt = WireLines.sentAt(line);
                if (sentAt >= 0) {
                    stats.latency(BenchClock.now() - sentAt);
                }
            }
            case OK -> {
                if (WireLines.isReply(line)) {
                    reply.complete(null);
                } else {
                    stats.published.increment();
                    sendReplied(true);
                }
            }
            case ERR -> error(line);
            case WELCOME -> {
                stats.openSessions.increment();
                welcomed.complete(this);
            }
            default -> {}
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pings != null) {
            pings.cancel(false);
        }
        if (welcomed.isDone()) {
            stats.openSessions.decrement();
        }
        if (!closing) {
            stats.error(welcomed.isDone() ? "CLOSED" : "CLOSED_BEFORE_WELCOME");
        }
        welcomed.completeExceptionally(new IllegalStateException("closed before WELCOME"));
        reply.completeExceptionally(new IllegalStateException("closed before the reply"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            stats.error(welcomed.isDone() ? "IO_ERROR" : "TLS_OR_IO_ERROR");
        }
        closing = true;
        ctx.close();
    }

    private void error(ByteBuf line) {
        try {
            ServerFrame.Err err = (ServerFrame.Err) CODEC.decodeServerFrame(line);
            stats.error(err.code().name());
            if (err.re() != null) {
                reply.completeExceptionally(new IllegalStateException(err.code() + ": " + err.message()));
            } else if (!err.fatal()) {
                sendReplied(false);
            }
        } catch (FrameException | ClassCastException e) {
            stats.error("UNREADABLE_ERR");
        }
    }

    private void sendReplied(boolean ok) {
        Publisher sender = publisher;
        if (sender != null) {
            sender.replied(ok);
        }
    }
}
