package org.tlschat.pki;

/**
 * A mistake the user can fix (a CA already exists, an unknown or invalid name, a missing
 * directory, an unreadable key...). The message names what to fix, e.g.
 * {@code "demo/ca.pem: no CA here (run 'tlschat pki init --dir demo' first)"}.
 */
public class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
