package org.tlschat.server.connection;

import java.util.Locale;

/** Why a connection ended: logged on close and counted in metrics. */
public enum CloseReason {
    CLIENT_QUIT,
    CLIENT_CLOSED,
    TLS_HANDSHAKE_FAILED,
    HANDSHAKE_TIMEOUT,
    AUTH_FAILED,
    AUTH_TIMEOUT,
    /** No session (WELCOME) within the welcome deadline after the TCP accept. */
    WELCOME_TIMEOUT,
    /** A new session over a quota (sessions per user). */
    LIMIT_REACHED,
    FRAME_TOO_LARGE,
    TOO_MANY_ERRORS,
    IDLE_TIMEOUT,
    SLOW_CONSUMER,
    REVOKED,
    SERVER_SHUTDOWN,
    INTERNAL_ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
