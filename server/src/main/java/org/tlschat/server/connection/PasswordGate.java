package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
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
 * failures or no success within the auth timeout end the connection.
 */
final class PasswordGate extends ChannelInboundHandlerAdapter {
    /** Makes one gate per connection. */
    record Factory(SessionOpener opener, PasswordVerifier verifier, Duration timeout, ServerMetrics metrics) {
        PasswordGate create() {
            return new PasswordGate(this);
        }
    }

    private final Factory f;
    private ScheduledFuture<?> deadline;
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
        f.verifier()
                .verify(auth.user(), auth.password())
                .whenComplete((ok, error) -> ctx.executor().execute(() -> answer(ctx, auth, Boolean.TRUE.equals(ok))));
    }

    private void answer(ChannelHandlerContext ctx, Request.Auth auth, boolean ok) {
        checking = false;
        if (!ctx.channel().isActive()
                || ctx.isRemoved()
                || Connection.of(ctx.channel()).isClosing()) {
            return;
        }
        if (ok) {
            f.opener().open(ctx, this, auth.user(), null);
            return;
        }
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
