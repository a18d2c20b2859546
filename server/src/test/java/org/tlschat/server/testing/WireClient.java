package org.tlschat.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.netty.ServerFrameDecoder;

/**
 * A black-box test client that speaks raw lines over real TLS, so tests read like the protocol:
 * {@code send(...)}, {@code expect(...)}, {@code expectClosed()}. It can send anything, including
 * frames no real client would.
 */
public final class WireClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final FrameCodec CODEC = new FrameCodec();

    private final Channel channel;
    private final BlockingQueue<Object> inbox;

    private WireClient(Channel channel, BlockingQueue<Object> inbox) {
        this.channel = channel;
        this.inbox = inbox;
    }

    /** Connects and waits for the TLS handshake; a refused handshake shows up as a close. */
    public static WireClient connect(EventLoopGroup group, InetSocketAddress server, SslContext tls) {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        Channel ch = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        SslHandler ssl = tls.newHandler(c.alloc(), server.getHostString(), server.getPort());
                        c.pipeline()
                                .addLast(
                                        ssl,
                                        new LineBasedFrameDecoder(1 << 20),
                                        new ServerFrameDecoder(CODEC),
                                        new Collector(inbox));
                    }
                })
                .connect(server)
                .syncUninterruptibly()
                .channel();
        return new WireClient(ch, inbox);
    }

    public Channel channel() {
        return channel;
    }

    public WireClient sendLine(String line) {
        channel.writeAndFlush(Unpooled.copiedBuffer(line + "\n", StandardCharsets.UTF_8))
                .syncUninterruptibly();
        return this;
    }

    public WireClient sendBytes(ByteBuf bytes) {
        channel.writeAndFlush(bytes).syncUninterruptibly();
        return this;
    }

    public WireClient send(Request request) {
        ByteBuf encoded = CODEC.encode(request, channel.alloc());
        channel.writeAndFlush(encoded).syncUninterruptibly();
        return this;
    }

    /** The next frame, which must be of {@code type}. */
    public <T extends ServerFrame> T expect(Class<T> type) {
        Object next = next();
        assertThat(next).as("next frame").isInstanceOf(type);
        return type.cast(next);
    }

    /** The next ERR, which must carry {@code code}. */
    public ServerFrame.Err expectErr(ErrorCode code) {
        ServerFrame.Err err = expect(ServerFrame.Err.class);
        assertThat(err.code()).as("error code of %s", err).isEqualTo(code);
        return err;
    }

    /** Skips frames until one of {@code type} arrives. */
    public <T extends ServerFrame> T await(Class<T> type) {
        while (true) {
            Object next = next();
            if (type.isInstance(next)) {
                return type.cast(next);
            }
        }
    }

    public Object next() {
        try {
            Object next = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                fail("no frame within " + WAIT);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame if one arrives within {@code wait}, else null. */
    public Object pollWithin(Duration wait) {
        try {
            return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every frame received and not read yet, removed from the inbox. */
    public List<Object> drain() {
        List<Object> frames = new ArrayList<>();
        inbox.drainTo(frames);
        return frames;
    }

    /** True when nothing is waiting to be read right now. */
    public boolean inboxEmpty() {
        return inbox.isEmpty();
    }

    /** Waits for the server to close the connection; frames still queued are skipped. */
    public void expectClosed() {
        assertThat(channel.closeFuture().awaitUninterruptibly(WAIT.toMillis()))
                .as("server closed the connection")
                .isTrue();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private static final class Collector extends SimpleChannelInboundHandler<Object> {
        private final BlockingQueue<Object> inbox;

        Collector(BlockingQueue<Object> inbox) {
            this.inbox = inbox;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object frame) {
            inbox.add(frame);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
