package org.tlschat.server.hub;

import org.tlschat.protocol.ErrorCode;

/** A request the Hub refuses; the connection answers it with a non-fatal ERR. */
public final class ChatException extends Exception {
    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
