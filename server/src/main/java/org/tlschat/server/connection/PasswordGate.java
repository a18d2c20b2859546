package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.auth.PasswordVerifier;

/**
 * Password mode: the first request must be AUTH. Hashes are checked off the event loop; three
 * failures or no success within the auth timeout end the connection. Across connections,
 * {@link PasswordVerifier} may refuse an AUTH without checking it: too many wrong passwords from
 * this address ({@code RATE_LIMITED}), or no room to check it now ({@code BUSY}). Refusals are not
 * failures, and are answered only after {@link #REFUSAL_PAUSE}, so a connection cannot spin on them.
 */
final class PasswordGate extends ChannelInboundHandlerAdapter {
    /** Makes one gate per connection. */
    record Factory(SessionOpener opener, PasswordVerifier verifier, Duration timeout, ServerMetrics metrics) {
        PasswordGate create() {
            return new PasswordGate(this);
        }
    }

    /** How long a refused AUTH waits for its answer. */
    static final Duration REFUSAL_PAUSE = Duration.ofSeconds(1);

    private final Factory f;
    private ScheduledFuture<?> deadline;
    private CompletableFuture<PasswordVerifier.Outcome> pending;
    private boolean checking;
    private int failures;

    private PasswordGate(Factory factory) {
        this.f = factory;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor()
                .schedule(
                        () -> Connection.of(ctx.channel())
                                .fail(
                                        ErrorCode.AUTH_TIMEOUT,
                                        "not authenticated within "
                                                + f.timeout().toSeconds() + " s",
                                        CloseReason.AUTH_TIMEOUT),
                        f.timeout().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
        abandon();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        abandon();
        ctx.fireChannelInactive();
    }

    /** A check still queued for a connection that went away leaves the queue. */
    private void abandon() {
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Request request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (Connection.of(ctx.channel()).isClosing()) {
            return;
        }
        if (!(request instanceof Request.Auth auth) || checking) {
            reply(
                    ctx,
                    new ServerFrame.Err(
                            request.id(),
                            ErrorCode.NOT_AUTHENTICATED,
                            checking ? "wait for the answer to AUTH" : "send AUTH first",
                            false));
            return;
        }
        checking = true;
        InetAddress from = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        CompletableFuture<PasswordVerifier.Outcome> check = f.verifier().verify(from, auth.user(), auth.password());
        pending = check;
        check.whenComplete((outcome, error) -> {
            if (!check.isCancelled()) {
                ctx.executor().execute(() -> answer(ctx, auth, outcome));
            }
        });
    }

    private void answer(ChannelHandlerContext ctx, Request.Auth auth, PasswordVerifier.Outcome outcome) {
        pending = null;
        if (!ctx.channel().isActive()
                || ctx.isRemoved()
                || Connection.of(ctx.channel()).isClosing()) {
            checking = false;
            return;
        }
        if (outcome instanceof PasswordVerifier.Right) {
            checking = false;
            f.metrics().authAttempt("ok");
            f.opener().open(ctx, this, auth.user(), null);
        } else if (outcome instanceof PasswordVerifier.Wrong) {
            checking = false;
            f.metrics().authAttempt("wrong");
            wrong(ctx, auth);
        } else if (outcome instanceof PasswordVerifier.Locked locked) {
            f.metrics().authAttempt("locked");
            long seconds = Math.max(1, (locked.retryAfter().toMillis() + 999) / 1000);
            String whose = locked.wholeAddress() ? "" : "for " + auth.user() + " ";
            refuse(
                    ctx,
                    new ServerFrame.Err(
                            auth.id(),
                            ErrorCode.RATE_LIMITED,
                            "too many wrong passwords " + whose + "from your address; try again in " + seconds + " s",
                            false));
        } else if (outcome instanceof PasswordVerifier.Busy busy) {
            f.metrics().authAttempt("busy");
            refuse(ctx, new ServerFrame.Err(auth.id(), ErrorCode.BUSY, busy.why() + "; try again", false));
        } else {
            checking = false;
            reply(ctx, new ServerFrame.Err(auth.id(), ErrorCode.INTERNAL, "the password could not be checked", false));
        }
    }

    /** Answers a refused AUTH after the pause; until then the connection is still waiting for its answer. */
    private void refuse(ChannelHandlerContext ctx, ServerFrame.Err err) {
        ctx.executor()
                .schedule(
                        () -> {
                            checking = false;
                            if (ctx.channel().isActive()
                                    && !ctx.isRemoved()
                                    && !Connection.of(ctx.channel()).isClosing()) {
                                reply(ctx, err);
                            }
                        },
                        REFUSAL_PAUSE.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private void wrong(ChannelHandlerContext ctx, Request.Auth auth) {
        if (++failures >= Limits.MAX_AUTH_FAILURES) {
            Connection.of(ctx.channel())
                    .fail(
                            ErrorCode.AUTH_FAILED,
                            "wrong user or password, " + failures + " times",
                            CloseReason.AUTH_FAILED);
            return;
        }
        reply(ctx, new ServerFrame.Err(auth.id(), ErrorCode.AUTH_FAILED, "wrong user or password", false));
    }

    private void reply(ChannelHandlerContext ctx, ServerFrame.Err err) {
        f.metrics().error(err.code());
        ctx.writeAndFlush(err);
    }
}
