package org.tlschat.client;

/**
 * {@link ChatClient#connect} did not get a session, e.g. {@code "cannot reach 127.0.0.1:7443:
 * connection refused"} or {@code "the server refused your certificate: it is revoked"}.
 */
public class ConnectFailure extends ClientException {
    private final boolean unreachable;

    public ConnectFailure(String message, Throwable cause) {
        this(message, cause, false);
    }

    ConnectFailure(String message, Throwable cause, boolean unreachable) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    /** True when no TCP connection could be made (the next address of the list may do better). */
    public boolean unreachable() {
        return unreachable;
    }
}
