package org.tlschat.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.Welcome;
import org.tlschat.protocol.netty.InvalidFrame;

/**
 * One connection of a {@link ChatClient} to one server, the last handler of its pipeline: completes
 * {@link #welcomed} (answering AUTH_REQUIRED in password mode), matches replies to its own pending
 * requests, passes events to the listener, and tells its {@link Owner} how it ended. Everything runs
 * on the client's event loop.
 */
final class Connection extends SimpleChannelInboundHandler<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** What a connection needs from its client. */
    interface Owner {
        String nextId();

        /** True once the client was asked to quit or close: an end is then not a loss. */
        boolean closing();

        /** Calls the listener, logging (not propagating) its failures. */
        void tell(Consumer<ChatListener> call);

        /** The connection ended after WELCOME with {@code reason} (see {@link ChatListener#onClosed}). */
        void ended(Connection connection, String reason);
    }

    final HostPort address;
    /** Completed by WELCOME; failed with a {@link ConnectFailure} when the connection fails before it. */
    final CompletableFuture<Welcome> welcomed = new CompletableFuture<>();

    private final ClientOptions options;
    private final Owner owner;
    private final Map<String, CompletableFuture<ServerFrame>> pending = new HashMap<>();
    private Channel channel;
    private String byeReason;
    private String fatalCode;

    Connection(HostPort address, ClientOptions options, Owner owner) {
        this.address = address;
        this.options = options;
        this.owner = owner;
    }

    /** Writes {@code request}; {@code reply} is completed by the frame that answers it, or failed when the connection ends. */
    void send(Request request, CompletableFuture<ServerFrame> reply) {
        pending.put(request.id(), reply);
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess() && pending.remove(request.id()) != null) {
                reply.completeExceptionally(
                        new ClientException("could not send: the connection is closed", written.cause()));
            }
        });
    }

    /** Sends QUIT; the server answers BYE and closes. */
    void quit() {
        channel.writeAndFlush(new Request.Quit(owner.nextId())).addListener(written -> {
            if (!written.isSuccess()) {
                channel.close();
            }
        });
    }

    boolean isActive() {
        return channel != null && channel.isActive();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        long welcomeMillis = 2 * options.connectTimeout().toMillis();
        ctx.executor()
                .schedule(
                        () -> {
                            if (!welcomed.isDone()) {
                                fail(
                                        ctx,
                                        new ConnectFailure(
                                                "no WELCOME from " + address + " within "
                                                        + Duration.ofMillis(welcomeMillis)
                                                                .toSeconds() + " s (is it a tlschat server?)",
                                                null));
                            }
                        },
                        welcomeMillis,
                        TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
        if (message instanceof InvalidFrame invalid) {
            LOG.warn("ignoring an invalid frame from {}: {}", address, invalid.message());
            return;
        }
        ServerFrame frame = (ServerFrame) message;
        if (frame instanceof Welcome w) {
            pingInTime(ctx, w);
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
            owner.tell(listener -> listener.onMessage(msg));
        } else if (frame instanceof ServerFrame.Presence presence) {
            owner.tell(listener -> listener.onPresence(presence));
        } else if (frame instanceof ServerFrame.Bye bye) {
            byeReason = bye.reason();
            ctx.close();
        }
    }

    /**
     * Pings at a third of the idle timeout the server announced, when that is sooner than the
     * configured interval: a server with a short idle timeout does not cut an idle client.
     */
    private void pingInTime(ChannelHandlerContext ctx, Welcome welcome) {
        Integer idleSeconds = welcome.limits() == null ? null : welcome.limits().idleTimeout();
        if (idleSeconds == null || idleSeconds <= 0) {
            return;
        }
        long pingMillis = Math.min(
                options.pingInterval().toMillis(),
                Math.max(1, Duration.ofSeconds(idleSeconds).toMillis() / 3));
        if (pingMillis < options.pingInterval().toMillis() && ctx.pipeline().get("heartbeat") != null) {
            ctx.pipeline()
                    .replace("heartbeat", "heartbeat", new IdleStateHandler(0, pingMillis, 0, TimeUnit.MILLISECONDS));
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

    private void authenticate(ChannelHandlerContext ctx) {
        if (options.mtls()) {
            fail(
                    ctx,
                    new ConnectFailure(
                            "the server at " + address
                                    + " uses password mode: log in with a user and password, not a certificate",
                            null,
                            ConnectFailure.Kind.REFUSED));
            return;
        }
        ctx.writeAndFlush(new Request.Auth(owner.nextId(), options.user(), options.password()));
    }

    private void error(ChannelHandlerContext ctx, ServerFrame.Err err) {
        if (err.fatal()) {
            fatalCode = err.code().name();
        }
        if (!welcomed.isDone()) {
            fail(
                    ctx,
                    err.code() == ErrorCode.AUTH_FAILED
                            ? new ConnectFailure("wrong user or password", null, ConnectFailure.Kind.REFUSED)
                            : new ConnectFailure(
                                    "the server refused the session: " + err.message() + " (" + err.code() + ")",
                                    null,
                                    ChatClient.FINAL_REASONS.contains(err.code().name())
                                            ? ConnectFailure.Kind.REFUSED
                                            : ConnectFailure.Kind.FAILED));
            return;
        }
        CompletableFuture<ServerFrame> future = err.re() == null ? null : pending.remove(err.re());
        if (future != null) {
            future.completeExceptionally(new ChatErrorException(err));
        } else {
            owner.tell(listener -> listener.onError(err));
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
                send(new Request.Ping(owner.nextId()), new CompletableFuture<>()); // heartbeat: only the write matters
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!welcomed.isDone()) {
            fail(
                    ctx,
                    Failures.isTls(cause)
                            ? Failures.tls(address, options.ca(), cause)
                            : new ConnectFailure("connection to " + address + " failed: " + cause.getMessage(), cause));
            return;
        }
        LOG.debug("connection to {} failed", address, cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String reason = byeReason != null
                ? byeReason
                : fatalCode != null ? fatalCode : owner.closing() ? "closed" : "connection lost";
        boolean established = welcomed.isDone() && !welcomed.isCompletedExceptionally();
        welcomed.completeExceptionally(new ConnectFailure(
                "the server at " + address + " closed the connection before WELCOME", null)); // no-op after WELCOME
        List<CompletableFuture<ServerFrame>> inFlight = List.copyOf(pending.values());
        pending.clear();
        if (established) {
            owner.ended(this, reason); // first: requests made by the failures below must not come here
        }
        inFlight.forEach(
                future -> future.completeExceptionally(new ClientException("the connection closed (" + reason + ")")));
        super.channelInactive(ctx);
    }
}
