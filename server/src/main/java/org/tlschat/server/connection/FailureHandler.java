package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.ErrorCode;

/**
 * The last handler: whatever went wrong on this connection ends it with a reason, and never
 * reaches the rest of the server. An over-long line gets FRAME_TOO_LARGE; a bug gets INTERNAL.
 */
final class FailureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Connection connection = Connection.of(ctx.channel());
        if (cause instanceof TooLongFrameException) {
            connection.fail(
                    ErrorCode.FRAME_TOO_LARGE, "a line is longer than the maximum frame", CloseReason.FRAME_TOO_LARGE);
        } else if (hasCause(cause, SSLException.class)) {
            connection.closeNow(CloseReason.TLS_HANDSHAKE_FAILED);
        } else if (hasCause(cause, IOException.class)) {
            connection.closeNow(CloseReason.CLIENT_CLOSED);
        } else {
            log.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
            connection.fail(ErrorCode.INTERNAL, "internal error", CloseReason.INTERNAL_ERROR);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
