package org.tlschat.client;

import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.ServerFrame;

/** The server answered a request with {@code ERR}; the message reads {@code "<server message> (<CODE>)"}. */
public class ChatErrorException extends ClientException {
    private final ServerFrame.Err err;

    public ChatErrorException(ServerFrame.Err err) {
        super(err.message() + " (" + err.code() + ")");
        this.err = err;
    }

    public ErrorCode code() {
        return err.code();
    }

    /** The server's message, without the code. */
    public String serverMessage() {
        return err.message();
    }

    public boolean fatal() {
        return err.fatal();
    }

    public ServerFrame.Err err() {
        return err;
    }
}
