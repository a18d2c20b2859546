package org.tlschat.protocol;

/**
 * A received line that is not a valid frame. Carries the error code to answer with and, when the
 * request's own {@code id} was valid, that id so the {@code ERR} can carry it as {@code re}.
 */
public final class FrameException extends Exception {

    private final ErrorCode code;
    private final String re;

    public FrameException(ErrorCode code, String message, String re) {
        super(message, null, false, false); // invalid input is expected traffic: no stack trace to fill
        this.code = code;
        this.re = re;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code id} of the refused request, or null when it had none or it was itself invalid. */
    public String re() {
        return re;
    }
}
