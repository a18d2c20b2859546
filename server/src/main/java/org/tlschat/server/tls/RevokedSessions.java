package org.tlschat.server.tls;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.server.connection.CloseReason;
import org.tlschat.server.connection.Connection;
import org.tlschat.server.hub.Session;

/**
 * Ends every live session whose client certificate the current CRL lists: ERR REVOKED (fatal),
 * then close, one log line each. The TLS handshake already refuses revoked certificates; this
 * covers the sessions that were opened before the revocation.
 */
public final class RevokedSessions {
    private static final Logger log = LoggerFactory.getLogger(RevokedSessions.class);

    private final ChannelGroup channels;
    private final TrustMaterial trust;

    public RevokedSessions(ChannelGroup channels, TrustMaterial trust) {
        this.channels = channels;
        this.trust = trust;
    }

    /** Closes the sessions of revoked certificates; returns how many. */
    int close() {
        int closed = 0;
        for (Channel channel : channels) {
            Connection connection = Connection.of(channel);
            Session session = connection == null ? null : connection.session();
            if (session == null
                    || session.certificateSerial() == null
                    || connection.isClosing()
                    || !trust.isRevoked(session.certificateSerial())) {
                continue;
            }
            log.info(
                    "session {} ({}) from {} closed: certificate serial {} is revoked",
                    session.id(),
                    session.user(),
                    channel.remoteAddress(),
                    session.certificateSerial().toString(16));
            connection.fail(ErrorCode.REVOKED, "your certificate has been revoked", CloseReason.REVOKED);
            closed++;
        }
        return closed;
    }
}
