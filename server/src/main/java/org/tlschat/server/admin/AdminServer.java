package org.tlschat.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** Plain HTTP on its own port (loopback by default): /healthz, /readyz and /metrics. */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    public static AdminServer start(
            InetSocketAddress address,
            EventLoopGroup group,
            Class<? extends ServerChannel> channelType,
            ServerMetrics metrics,
            BooleanSupplier ready)
            throws InterruptedException {
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                        new Endpoints(metrics, ready));
                    }
                })
                .bind(address)
                .sync()
                .channel();
        return new AdminServer(ch);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private static final class Endpoints extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ServerMetrics metrics;
        private final BooleanSupplier ready;

        Endpoints(ServerMetrics metrics, BooleanSupplier ready) {
            this.metrics = metrics;
            this.ready = ready;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
                return;
            }
            switch (request.uri()) {
                case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, "ok\n");
                case "/readyz" ->
                    respond(
                            ctx,
                            request,
                            ready.getAsBoolean() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            ready.getAsBoolean() ? "ready\n" : "not ready\n");
                case "/metrics" -> respondMetrics(ctx, request);
                default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, "try /healthz, /readyz or /metrics\n");
            }
        }

        private void respondMetrics(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
            ByteBuf body = ctx.alloc().buffer();
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                metrics.writeTo(out);
            }
            send(ctx, request, HttpResponseStatus.OK, body, metrics.contentType());
        }

        private static void respond(
                ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String text) {
            ByteBuf body = ctx.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
            send(ctx, request, status, body, "text/plain; charset=utf-8");
        }

        private static void send(
                ChannelHandlerContext ctx,
                FullHttpRequest request,
                HttpResponseStatus status,
                ByteBuf body,
                String contentType) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setContentLength(response, body.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
