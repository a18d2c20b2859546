package org.tlschat.client;

/**
 * {@link ChatClient#connect} did not get a session, e.g. {@code "cannot reach 127.0.0.1:7443:
 * connection refused"} or {@code "the server refused your certificate: it is revoked"}.
 */
public class ConnectFailure extends ClientException {
    /** What trying again could change. */
    public enum Kind {
        /** No TCP connection could be made: the next address of the list may do better. */
        UNREACHABLE,
        /** The server refused this client's credentials (certificate or password): no retry helps. */
        REFUSED,
        /** Anything else (a timeout, a close before WELCOME, a server shutting down): a retry may help. */
        FAILED
    }

    private final Kind kind;

    public ConnectFailure(String message, Throwable cause) {
        this(message, cause, Kind.FAILED);
    }

    ConnectFailure(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when no TCP connection could be made (the next address of the list may do better). */
    public boolean unreachable() {
        return kind == Kind.UNREACHABLE;
    }
}
