package org.tlschat.client;

/** A failure of the client whose message is one line for a person (no "Exception:" prefix). */
public class ClientException extends RuntimeException {
    public ClientException(String message) {
        super(message);
    }

    public ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
