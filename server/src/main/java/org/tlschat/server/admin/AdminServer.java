package org.tlschat.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP on its own port (loopback by default): /healthz, /readyz and /metrics.
 *
 * <p>It has no TLS and no authentication, so it is built to survive whoever can reach it
 * ({@link Limits}): every request/response exchange must complete within the request timeout
 * (a request trickled header by header, an idle keep-alive connection or a response nobody reads
 * is closed), at most {@link Limits#maxConnections()} connections are open at once (the next one
 * gets a 503 and is closed), requests are bounded in size, and requests are handled strictly one
 * at a time: reading stops while a response is being written, and pipelined requests are not
 * queued: the first is answered, then the connection is closed.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /**
     * The bounds of the admin listener, in one place.
     *
     * @param requestTimeout from accept (or the end of the previous response) to the end of the
     *     next response; past it the connection is closed, whatever it was doing
     * @param maxConnections admin connections open at once; the next one is answered 503 and closed
     * @param maxRequestBytes request line, all headers, and body: each at most this
     */
    public record Limits(Duration requestTimeout, int maxConnections, int maxRequestBytes) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 16, 8 * 1024);

        public Limits {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (requestTimeout.isNegative() || requestTimeout.isZero() || maxConnections < 1 || maxRequestBytes < 256) {
                throw new IllegalArgumentException("admin limits out of range: " + requestTimeout + ", "
                        + maxConnections + " connections, " + maxRequestBytes + " B");
            }
        }
    }

    private static final String TOO_MANY_TEXT = "too many admin connections\n";
    private static final byte[] TOO_MANY = ("HTTP/1.1 503 Service Unavailable\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + TOO_MANY_TEXT.length() + "\r\n"
                    + "Connection: close\r\n\r\n"
                    + TOO_MANY_TEXT)
            .getBytes(StandardCharsets.US_ASCII);

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
        return start(address, group, channelType, metrics, ready, Limits.DEFAULT);
    }

    public static AdminServer start(
            InetSocketAddress address,
            EventLoopGroup group,
            Class<? extends ServerChannel> channelType,
            ServerMetrics metrics,
            BooleanSupplier ready,
            Limits limits)
            throws InterruptedException {
        AtomicInteger open = new AtomicInteger();
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        int now = open.incrementAndGet();
                        c.closeFuture().addListener(f -> open.decrementAndGet());
                        if (now > limits.maxConnections()) {
                            c.config().setAutoRead(false);
                            c.pipeline().addLast(new Refuse());
                            return;
                        }
                        c.pipeline()
                                .addLast(
                                        new HttpServerCodec(new HttpDecoderConfig()
                                                .setMaxInitialLineLength(limits.maxRequestBytes())
                                                .setMaxHeaderSize(limits.maxRequestBytes())
                                                .setMaxChunkSize(limits.maxRequestBytes())),
                                        new HttpObjectAggregator(limits.maxRequestBytes()),
                                        new OneAtATime(limits.requestTimeout()),
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

    /** A connection beyond the cap: a 503 at once, then the close. */
    private static final class Refuse extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            log.debug(
                    "admin connection from {} refused: too many", ctx.channel().remoteAddress());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * One exchange at a time, each within the deadline. Reading stops when a request arrives and
     * resumes when its response is written; requests already decoded from the same read
     * (pipelined) are dropped and the connection is closed after the first response. The deadline
     * runs from accept, and again from the end of each response, to the end of the next response.
     */
    private static final class OneAtATime extends ChannelDuplexHandler {
        private final Duration timeout;
        private ScheduledFuture<?> deadline;
        private boolean busy;
        private boolean pipelined;

        OneAtATime(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            arm(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (busy) {
                pipelined = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            busy = true;
            ctx.channel().config().setAutoRead(false);
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ChannelPromise written = promise.unvoid();
            ctx.write(msg, written);
            written.addListener(f -> {
                if (!f.isSuccess() || pipelined) {
                    ctx.close();
                } else if (ctx.channel().isActive()) {
                    busy = false;
                    arm(ctx);
                    ctx.channel().config().setAutoRead(true);
                }
            });
        }

        private void arm(ChannelHandlerContext ctx) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            deadline = ctx.executor()
                    .schedule(
                            () -> {
                                log.debug(
                                        "admin connection from {} closed: no complete exchange within {}",
                                        ctx.channel().remoteAddress(),
                                        timeout);
                                ctx.close();
                            },
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
        }
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
            if (request.decoderResult().isFailure()) {
                HttpUtil.setKeepAlive(request, false);
                respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad or oversized request\n");
                return;
            }
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
