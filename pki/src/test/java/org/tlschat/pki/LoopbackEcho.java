package org.tlschat.pki;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A TLS line-echo server on 127.0.0.1 and its clients, over real sockets. The server records the
 * outcome of every handshake: the client's SPIFFE ID, {@link #NO_CLIENT_CERT}, or the failure.
 */
final class LoopbackEcho implements AutoCloseable {
    static final String NO_CLIENT_CERT = "no client certificate";
    private static final int MAX_LINE = 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Queue<Object> serverHandshakes = new ConcurrentLinkedQueue<>();
    private final Channel serverChannel;

    LoopbackEcho(SslContext serverContext) throws InterruptedException {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        serverContext.newHandler(ch.alloc()),
                                        new LineBasedFrameDecoder(MAX_LINE),
                                        new StringDecoder(StandardCharsets.UTF_8),
                                        new StringEncoder(StandardCharsets.UTF_8),
                                        new EchoHandler());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** What each server-side handshake ended with: a SpiffeId, NO_CLIENT_CERT, or a Throwable. */
    Queue<Object> serverHandshakes() {
        return serverHandshakes;
    }

    Client connect(SslContext clientContext, String host) throws InterruptedException {
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        clientContext.newHandler(ch.alloc(), host, port()),
                                        new LineBasedFrameDecoder(MAX_LINE),
                                        new StringDecoder(StandardCharsets.UTF_8),
                                        new StringEncoder(StandardCharsets.UTF_8),
                                        new SimpleChannelInboundHandler<String>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                                lines.add(line);
                                            }

                                            @Override
                                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                                ctx.close();
                                            }
                                        });
                    }
                })
                .connect("127.0.0.1", port())
                .sync()
                .channel();
        return new Client(channel, channel.pipeline().get(SslHandler.class), lines);
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A connected client: its handshake, the lines it received, and its channel. */
    record Client(Channel channel, SslHandler ssl, Queue<String> lines) {
        Future<Channel> handshake() {
            return ssl.handshakeFuture();
        }

        void send(String line) {
            channel.writeAndFlush(line + "\n");
        }

        boolean closed() {
            return !channel.isActive();
        }
    }

    private final class EchoHandler extends SimpleChannelInboundHandler<String> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent completion) {
                if (!completion.isSuccess()) {
                    serverHandshakes.add(completion.cause());
                } else {
                    try {
                        serverHandshakes.add(TlsContexts.peerIdentity(
                                ctx.pipeline().get(SslHandler.class).engine().getSession()));
                    } catch (SSLPeerUnverifiedException e) {
                        serverHandshakes.add(NO_CLIENT_CERT);
                    }
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            ctx.writeAndFlush(line + "\n");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
