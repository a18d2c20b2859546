package org.tlschat.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.PkiException;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.netty.NettyTransport;
import org.tlschat.protocol.netty.RequestEncoder;
import org.tlschat.protocol.netty.ServerFrameDecoder;

/**
 * Opens TLS connections to servers for one {@link ChatClient}, all on its single event loop: the
 * SSL context is built once, and each connection gets the pipeline
 * {@code TLS → line framer → frame decoder | request encoder → heartbeat → the client's handler}.
 */
final class Dialer {
    /**
     * Longest line accepted from a server: a MSG of 8,192 code points, each JSON-escaped as up to
     * 12 bytes, is under 100 KiB; a server's max_frame bounds requests, not its replies.
     */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final ClientOptions options;
    private final SslContext tls;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelType;
    private final RequestEncoder encoder;
    private final ServerFrameDecoder decoder;

    /** Loads the TLS material of {@code options}; {@link ConnectFailure} when it does not load. */
    Dialer(ClientOptions options) {
        this.options = options;
        this.tls = sslContext(options);
        FrameCodec codec = new FrameCodec(MAX_LINE_BYTES);
        this.encoder = new RequestEncoder(codec);
        this.decoder = new ServerFrameDecoder(codec);
        NettyTransport transport = NettyTransport.best();
        this.group = transport.newGroup(1, "tlschat-client");
        this.loop = group.next();
        this.channelType = transport.socketChannel();
    }

    private static SslContext sslContext(ClientOptions options) {
        try {
            TrustMaterial trust = TrustMaterial.load(options.ca(), null);
            return TlsContexts.client(new ClientTlsConfig(
                    trust,
                    options.cert(),
                    options.key(),
                    SpiffeId.Kind.NODE,
                    options.tlsVersion(),
                    options.provider()));
        } catch (PkiException e) {
            throw new ConnectFailure(e.getMessage(), e);
        } catch (Exception e) {
            throw new ConnectFailure("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The client's only event loop thread. */
    EventLoop loop() {
        return loop;
    }

    /** Runs {@code task} on the event loop (now if already there); false when the loop has stopped. */
    boolean onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Connects to {@code address} with {@code handler} last in the pipeline; when no TCP connection
     * can be made, fails {@code outcome} with an {@link ConnectFailure.Kind#UNREACHABLE} failure.
     */
    void dial(HostPort address, ChannelHandler handler, CompletableFuture<?> outcome) {
        long timeoutMillis = options.connectTimeout().toMillis();
        long pingMillis = options.pingInterval().toMillis();
        new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), address.host(), address.port());
                        ssl.setHandshakeTimeoutMillis(timeoutMillis);
                        ch.pipeline()
                                .addLast("tls", ssl)
                                .addLast("framer", new LineBasedFrameDecoder(MAX_LINE_BYTES, true, true))
                                .addLast("decoder", decoder)
                                .addLast("encoder", encoder)
                                .addLast("heartbeat", new IdleStateHandler(0, pingMillis, 0, TimeUnit.MILLISECONDS))
                                .addLast("client", handler);
                    }
                })
                .connect(address.host(), address.port())
                .addListener(connected -> {
                    if (!connected.isSuccess()) {
                        outcome.completeExceptionally(Failures.unreachable(address, connected.cause()));
                    }
                });
    }

    /** Stops the event loop (closing its connections); waits for it unless called on it. */
    void close() {
        Future<?> stopped = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!loop.inEventLoop()) {
            stopped.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
