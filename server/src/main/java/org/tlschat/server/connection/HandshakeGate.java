package org.tlschat.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.SpiffeId;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.admin.ServerMetrics;

/**
 * Nothing happens before the TLS handshake completes. Then, in mtls mode, the session's user is
 * the name in the verified certificate's SPIFFE identity; in password mode the client is asked to
 * AUTH. A failed handshake is counted by reason and the connection closed.
 */
final class HandshakeGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeGate.class);

    private final SessionOpener opener;
    private final PasswordGate.Factory passwordGate;
    private final ServerMetrics metrics;

    /** {@code passwordGate} null means mtls mode. */
    HandshakeGate(SessionOpener opener, PasswordGate.Factory passwordGate, ServerMetrics metrics) {
        this.opener = opener;
        this.passwordGate = passwordGate;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof SslHandshakeCompletionEvent done)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (!done.isSuccess()) {
            refuse(ctx, done.cause());
            return;
        }
        if (passwordGate != null) {
            ctx.pipeline().replace(this, "auth", passwordGate.create());
            ctx.writeAndFlush(new ServerFrame.AuthRequired(List.of(ServerFrame.AuthRequired.PASSWORD)));
            return;
        }
        X509Certificate peer = peerCertificate(ctx);
        opener.open(ctx, this, SpiffeId.of(peer).name(), peer.getSerialNumber());
    }

    private static X509Certificate peerCertificate(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
    }

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        String reason = HandshakeFailure.classify(cause);
        metrics.handshakeFailed(reason);
        log.info("TLS handshake from {} failed: {}", ctx.channel().remoteAddress(), reason);
        Connection.of(ctx.channel())
                .closeNow(
                        cause instanceof SslHandshakeTimeoutException
                                ? CloseReason.HANDSHAKE_TIMEOUT
                                : CloseReason.TLS_HANDSHAKE_FAILED);
    }
}
