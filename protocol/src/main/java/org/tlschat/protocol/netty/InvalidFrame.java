package org.tlschat.protocol.netty;

import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.ServerFrame;

/**
 * A line that was not a valid frame, passed down the pipeline in place of the frame so the
 * connection handler can answer it and count it. {@code re} is the request's id when it was valid.
 */
public record InvalidFrame(ErrorCode code, String message, String re) {

    static InvalidFrame of(FrameException e) {
        return new InvalidFrame(e.code(), e.getMessage(), e.re());
    }

    /** The non-fatal ERR that answers this frame. */
    public ServerFrame.Err toErr() {
        return ServerFrame.Err.of(code, message, re);
    }
}
