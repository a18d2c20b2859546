package org.tlschat.protocol;

/** The codes an {@code ERR} frame carries (PROTOCOL.md §7). */
public enum ErrorCode {
    /** Invalid JSON, not an object, or a missing or mistyped field. */
    BAD_FRAME(false),
    /** An {@code op} the server does not know. */
    UNKNOWN_OP(false),
    /** A line longer than the maximum frame. */
    FRAME_TOO_LARGE(true),
    /** Too many invalid frames on one connection. */
    TOO_MANY_ERRORS(true),
    /** Password mode: an op other than AUTH before AUTH succeeded. */
    NOT_AUTHENTICATED(false),
    /** Password mode: no successful AUTH in time. */
    AUTH_TIMEOUT(true),
    /** Wrong user or password; the server makes it fatal after {@link Limits#MAX_AUTH_FAILURES}. */
    AUTH_FAILED(false),
    /** A direct SEND to a user with no session anywhere. */
    NO_SUCH_USER(false),
    /** LIST of a room that has no members. */
    NO_SUCH_ROOM(false),
    /** SEND to or PART of a room the session has not joined. */
    NOT_IN_ROOM(false),
    /** A user or room name that breaks the syntax of PROTOCOL.md §3. */
    BAD_NAME(false),
    /** A text over the maximum length. */
    TEXT_TOO_LONG(false),
    /** The session sends messages or requests faster than its rate limit; the request was not carried out. */
    RATE_LIMITED(false),
    /** A quota is used up (rooms per session, sessions per user); the message names the limit. Fatal when it refuses a new session. */
    LIMIT_REACHED(false),
    /** The session does not read fast enough; its pending data passed the limit. */
    SLOW_CONSUMER(true),
    /** The session's certificate has been revoked. */
    REVOKED(true),
    /** The connection was silent for longer than the idle timeout. */
    IDLE_TIMEOUT(true),
    /** The server cannot take the request now (password mode: too many logins being checked); try again. */
    BUSY(false),
    /** A fault of the server, not of the request. */
    INTERNAL(false);

    private final boolean alwaysFatal;

    ErrorCode(boolean alwaysFatal) {
        this.alwaysFatal = alwaysFatal;
    }

    /** True for the codes after which the server always closes the connection (starred in PROTOCOL.md §7). */
    public boolean alwaysFatal() {
        return alwaysFatal;
    }
}
