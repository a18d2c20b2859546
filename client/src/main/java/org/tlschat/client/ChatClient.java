package org.tlschat.client;

import org.tlschat.protocol.HostPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.PkiException;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.protocol.ServerFrame.Welcome;
import org.tlschat.protocol.netty.InvalidFrame;
import org.tlschat.protocol.netty.RequestEncoder;
import org.tlschat.protocol.netty.ServerFrameDecoder;

/**
 * A tlschat session: {@link #connect} dials the servers of {@link ClientOptions} in order, waits for
 * the TLS handshake and WELCOME (answering AUTH_REQUIRED with AUTH in password mode), and returns.
 *
 * <p>Each request method sends one frame with a fresh {@code id} and returns a future completed by
 * the reply carrying that id as {@code re}, or failed with {@link ChatErrorException} when the reply
 * is an ERR, or with {@link ClientException} when the connection closes first.
 *
 * <p>Threads: every method may be called from any thread. Futures are completed, and the
 * {@link ChatListener} is called, on the client's single Netty event loop thread: do not block
 * there (no {@code join()} inside a listener or a {@code thenAccept} of this client's futures).
 *
 * <p>The client owns what a reconnect needs: the address list and the rooms joined
 * ({@link #rooms()}). Failover is not implemented yet: a lost connection ends the session.
 */
public final class ChatClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

    /**
     * Longest line accepted from a server: a MSG of 8,192 code points, each JSON-escaped as up to
     * 12 bytes, is under 100 KiB; a server's max_frame bounds requests, not its replies.
     */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final ClientOptions options;
    private final ChatListener listener;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final RequestEncoder encoder;
    private final ServerFrameDecoder decoder;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<ServerFrame>> pending = new ConcurrentHashMap<>();
    private final Set<String> rooms = new LinkedHashSet<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private volatile Channel channel;
    private volatile HostPort server;
    private volatile Welcome welcome;
    private volatile boolean closing;

    private ChatClient(ClientOptions options, ChatListener listener) {
        this.options = options;
        this.listener = listener == null ? ChatListener.NONE : listener;
        FrameCodec codec = new FrameCodec(MAX_LINE_BYTES);
        this.encoder = new RequestEncoder(codec);
        this.decoder = new ServerFrameDecoder(codec);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tlschat-client", true), io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Connects to the first server of {@code options} that answers and returns once WELCOME has
     * arrived. Throws {@link ConnectFailure} with a one-line message for a person.
     */
    public static ChatClient connect(ClientOptions options, ChatListener listener) {
        ChatClient client = new ChatClient(options, listener);
        try {
            client.open();
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- the typed API

    /** The WELCOME of this session (user, session id, node). */
    public Welcome welcome() {
        return welcome;
    }

    /** The authenticated user of this session. */
    public String user() {
        return welcome.user();
    }

    /** The server this session is connected to. */
    public HostPort server() {
        return server;
    }

    public ClientOptions options() {
        return options;
    }

    /** The rooms this session has joined (successful JOINs minus successful PARTs), in join order. */
    public Set<String> rooms() {
        synchronized (rooms) {
            return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(rooms));
        }
    }

    /** True until the connection has closed. */
    public boolean isOpen() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** Completed with the close reason when the session ends, after {@link ChatListener#onClosed} returned. */
    public CompletableFuture<String> closeFuture() {
        return closed.copy();
    }

    /** LIST: every user online anywhere in the cluster. */
    public CompletableFuture<List<UserEntry>> list() {
        return list(null);
    }

    /** LIST of a room's members ({@code room} null: every online user). */
    public CompletableFuture<List<UserEntry>> list(String room) {
        return request(id -> new Request.ListUsers(id, room), ServerFrame.Users.class).thenApply(ServerFrame.Users::users);
    }

    /** SEND to a user or a {@code #room}; completed with the message id. */
    public CompletableFuture<String> send(String to, String text) {
        return request(id -> new Request.Send(id, to, text), ServerFrame.Ok.class).thenApply(ServerFrame.Ok::msg);
    }

    /** JOIN a room; remembered in {@link #rooms()} once the server has said OK. */
    public CompletableFuture<Void> join(String room) {
        return request(id -> new Request.Join(id, room), ServerFrame.Ok.class).thenApply(ok -> {
            synchronized (rooms) {
                rooms.add(room);
            }
            return null;
        });
    }

    /** PART a room; forgotten in {@link #rooms()} once the server has said OK. */
    public CompletableFuture<Void> part(String room) {
        return request(id -> new Request.Part(id, room), ServerFrame.Ok.class).thenApply(ok -> {
            synchronized (rooms) {
                rooms.remove(room);
            }
            return null;
        });
    }

    /** PING; completed with the round-trip time when PONG arrives. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return request(Request.Ping::new, ServerFrame.Pong.class).thenApply(pong -> Duration.ofNanos(System.nanoTime() - start));
    }

    /** QUIT; completed with the BYE reason ({@code quit}) once the server has closed the connection. */
    public CompletableFuture<String> quit() {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return closed.copy();
        }
        closing = true;
        ch.writeAndFlush(new Request.Quit(nextId())).addListener(written -> {
            if (!written.isSuccess()) {
                ch.close();
            }
        });
        return closed.copy();
    }

    /** Closes the connection (without QUIT) and stops the event loop; waits for both unless called on it. */
    @Override
    public void close() {
        closing = true;
        Channel ch = channel;
        boolean onOwnLoop = false;
        for (EventExecutor executor : group) {
            onOwnLoop |= executor.inEventLoop();
        }
        if (ch != null) {
            ChannelFuture done = ch.close();
            if (!onOwnLoop) {
                done.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        io.netty.util.concurrent.Future<?> stopped = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!onOwnLoop) {
            stopped.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- connecting

    private void open() {
        SslContext tls = sslContext();
        List<ConnectFailure> unreachable = new ArrayList<>();
        for (HostPort address : options.servers()) {
            try {
                connectTo(address, tls);
                return;
            } catch (ConnectFailure failure) {
                if (!failure.unreachable()) {
                    throw failure;
                }
                LOG.debug("{}", failure.getMessage());
                unreachable.add(failure);
            }
        }
        if (unreachable.size() == 1) {
            throw unreachable.get(0);
        }
        throw new ConnectFailure("cannot reach any server: " + unreachable.stream()
                .map(f -> f.getMessage().replaceFirst("^cannot reach ", ""))
                .collect(Collectors.joining("; ")), unreachable.get(0).getCause(), true);
    }

    private SslContext sslContext() {
        try {
            TrustMaterial trust = TrustMaterial.load(options.ca(), null);
            return TlsContexts.client(new ClientTlsConfig(trust, options.cert(), options.key(),
                    SpiffeId.Kind.NODE, options.tlsVersion(), options.provider()));
        } catch (PkiException e) {
            throw new ConnectFailure(e.getMessage(), e);
        } catch (Exception e) {
            throw new ConnectFailure("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private void connectTo(HostPort address, SslContext tls) {
        CompletableFuture<Welcome> welcomed = new CompletableFuture<>();
        Handler handler = new Handler(address, welcomed);
        long timeoutMillis = options.connectTimeout().toMillis();
        long pingMillis = options.pingInterval().toMillis();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
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
                });
        ChannelFuture connected = bootstrap.connect(address.host(), address.port());
        if (!connected.awaitUninterruptibly(timeoutMillis + 1000)) {
            connected.cancel(false);
            connected.channel().close();
            throw new ConnectFailure("cannot reach " + address + ": connection timed out", null, true);
        }
        if (!connected.isSuccess()) {
            throw Failures.unreachable(address, connected.cause());
        }
        Channel ch = connected.channel();
        channel = ch;
        server = address;
        try {
            welcome = welcomed.get(2 * timeoutMillis, TimeUnit.MILLISECONDS);
            LOG.debug("connected to {} as {} (session {})", address, welcome.user(), welcome.session());
        } catch (TimeoutException e) {
            ch.close().awaitUninterruptibly();
            throw new ConnectFailure("no WELCOME from " + address + " within "
                    + Duration.ofMillis(2 * timeoutMillis).toSeconds() + " s (is it a tlschat server?)", e);
        } catch (ExecutionException e) {
            ch.close().awaitUninterruptibly();
            if (e.getCause() instanceof ConnectFailure failure) {
                throw failure;
            }
            throw new ConnectFailure("connection to " + address + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ch.close();
            throw new ConnectFailure("interrupted while connecting to " + address, e);
        }
    }

    // ---------------------------------------------------------------- requests

    private String nextId() {
        return Long.toString(ids.incrementAndGet(), 36);
    }

    private <T extends ServerFrame> CompletableFuture<T> request(Function<String, Request> make, Class<T> replyType) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return CompletableFuture.failedFuture(new ClientException("not connected" + closedSuffix()));
        }
        String id = nextId();
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        pending.put(id, reply);
        if (!ch.isActive()) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new ClientException("not connected" + closedSuffix()));
        }
        ch.writeAndFlush(make.apply(id)).addListener(written -> {
            if (!written.isSuccess()) {
                pending.remove(id);
                reply.completeExceptionally(new ClientException("could not send: the connection is closed", written.cause()));
            }
        });
        return reply.thenApply(frame -> {
            if (!replyType.isInstance(frame)) {
                throw new ClientException("unexpected reply " + frame.getClass().getSimpleName() + " to request " + id);
            }
            return replyType.cast(frame);
        });
    }

    private String closedSuffix() {
        return closed.isDone() ? " (the connection closed: " + closed.getNow("") + ")" : "";
    }

    private void failPending(String reason) {
        for (String id : List.copyOf(pending.keySet())) {
            CompletableFuture<ServerFrame> future = pending.remove(id);
            if (future != null) {
                future.completeExceptionally(new ClientException("the connection closed (" + reason + ")"));
            }
        }
    }

    private void reply(String re, ServerFrame frame) {
        CompletableFuture<ServerFrame> future = re == null ? null : pending.remove(re);
        if (future == null) {
            LOG.debug("reply to no pending request: {}", frame);
            return;
        }
        future.complete(frame);
    }

    // ---------------------------------------------------------------- the pipeline's last handler

    /** One connection's handler: completes WELCOME and replies, reports events, fails on close. */
    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private final HostPort address;
        private final CompletableFuture<Welcome> welcomed;
        private String byeReason;
        private String fatalCode;

        Handler(HostPort address, CompletableFuture<Welcome> welcomed) {
            this.address = address;
            this.welcomed = welcomed;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (message instanceof InvalidFrame invalid) {
                LOG.warn("ignoring an invalid frame from {}: {}", address, invalid.message());
                return;
            }
            ServerFrame frame = (ServerFrame) message;
            if (frame instanceof Welcome w) {
                welcomed.complete(w);
            } else if (frame instanceof ServerFrame.AuthRequired) {
                authenticate(ctx);
            } else if (frame instanceof ServerFrame.Users users) {
                reply(users.re(), users);
            } else if (frame instanceof ServerFrame.Ok ok) {
                reply(ok.re(), ok);
            } else if (frame instanceof ServerFrame.Pong pong) {
                reply(pong.re(), pong);
            } else if (frame instanceof ServerFrame.Err err) {
                error(ctx, err);
            } else if (frame instanceof ServerFrame.Msg msg) {
                notify(() -> listener.onMessage(msg));
            } else if (frame instanceof ServerFrame.Presence presence) {
                notify(() -> listener.onPresence(presence));
            } else if (frame instanceof ServerFrame.Bye bye) {
                byeReason = bye.reason();
                ctx.close();
            }
        }

        private void authenticate(ChannelHandlerContext ctx) {
            if (options.mtls()) {
                fail(ctx, new ConnectFailure("the server at " + address
                        + " uses password mode: log in with a user and password, not a certificate", null));
                return;
            }
            ctx.writeAndFlush(new Request.Auth(nextId(), options.user(), options.password()));
        }

        private void error(ChannelHandlerContext ctx, ServerFrame.Err err) {
            if (err.fatal()) {
                fatalCode = err.code().name();
            }
            if (!welcomed.isDone()) {
                fail(ctx, new ConnectFailure(err.code() == ErrorCode.AUTH_FAILED
                        ? "wrong user or password"
                        : "the server refused the session: " + err.message() + " (" + err.code() + ")", null));
                return;
            }
            CompletableFuture<ServerFrame> future = err.re() == null ? null : pending.remove(err.re());
            if (future != null) {
                future.completeExceptionally(new ChatErrorException(err));
            } else {
                notify(() -> listener.onError(err));
            }
        }

        private void fail(ChannelHandlerContext ctx, ConnectFailure failure) {
            welcomed.completeExceptionally(failure);
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    fail(ctx, Failures.tls(address, options.ca(), done.cause()));
                }
                return;
            }
            if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
                if (welcomed.isDone() && !welcomed.isCompletedExceptionally()) {
                    ping().whenComplete((rtt, failure) -> {
                        if (failure != null) {
                            LOG.debug("heartbeat PING failed: {}", failure.getMessage());
                        }
                    });
                }
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!welcomed.isDone()) {
                fail(ctx, Failures.isTls(cause) ? Failures.tls(address, options.ca(), cause)
                        : new ConnectFailure("connection to " + address + " failed: " + cause.getMessage(), cause));
                return;
            }
            LOG.debug("connection to {} failed", address, cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            String reason = byeReason != null ? byeReason
                    : fatalCode != null ? fatalCode
                    : closing ? "closed" : "connection lost";
            if (!welcomed.isDone()) {
                welcomed.completeExceptionally(new ConnectFailure("the server at " + address
                        + " closed the connection before WELCOME", null));
            }
            failPending(reason);
            boolean established = !welcomed.isCompletedExceptionally();
            if (established && ctx.channel() == channel && !closed.isDone()) {
                notify(() -> listener.onClosed(reason));
                closed.complete(reason); // after the listener: closeFuture() waiters see onClosed done
            }
            super.channelInactive(ctx);
        }

        private void notify(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.warn("a ChatListener failed", e);
            }
        }
    }
}
