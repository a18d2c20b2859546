package org.tlschat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helper: JSON lines to and from buffers. */
public final class Lines {

    private Lines() {}

    /** A buffer holding {@code text} as UTF-8. */
    public static ByteBuf buf(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    /** The buffer's readable bytes as UTF-8; releases the buffer. */
    public static String take(ByteBuf buf) {
        try {
            return buf.toString(UTF_8);
        } finally {
            buf.release();
        }
    }
}
