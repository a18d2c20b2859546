package org.tlschat.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few lines a bench writes and reads, without a JSON tree per message: the server writes
 * {@code "type"} first, and the bench's own texts start with their send time in digits. Anything
 * rarer (ERR, WELCOME) is left to {@link org.tlschat.protocol.FrameCodec}.
 */
final class WireLines {
    private static final byte[] TYPE_PREFIX = ascii("{\"type\":\"");
    private static final byte[] TEXT_FIELD = ascii("\"text\":\"");
    private static final byte[] RE_FIELD = ascii("\"re\":\"");
    /** Longest send time written: 13 digits of nanoseconds is over two hours of bench clock. */
    static final int MIN_TEXT_BYTES = 16;

    /** The frame types the bench tells apart. */
    enum Type {
        MSG,
        OK,
        ERR,
        WELCOME,
        BYE,
        OTHER
    }

    private WireLines() {}

    static Type type(ByteBuf line) {
        int at = line.readerIndex() + TYPE_PREFIX.length;
        if (!startsWith(line, line.readerIndex(), TYPE_PREFIX)) {
            return Type.OTHER;
        }
        return switch (line.getByte(at)) {
            case 'M' -> Type.MSG;
            case 'O' -> Type.OK;
            case 'E' -> Type.ERR;
            case 'W' -> Type.WELCOME;
            case 'B' -> Type.BYE;
            default -> Type.OTHER;
        };
    }

    /** True when an OK or ERR answers a request that carried an id (JOIN), not an id-less SEND. */
    static boolean isReply(ByteBuf line) {
        return indexOf(line, RE_FIELD) >= 0;
    }

    /** The send time a bench text starts with, or -1 when the MSG's text is not a bench text. */
    static long sentAt(ByteBuf msgLine) {
        int at = indexOf(msgLine, TEXT_FIELD);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        int digits = 0;
        for (int i = at + TEXT_FIELD.length; i < msgLine.writerIndex(); i++, digits++) {
            byte b = msgLine.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return digits == 0 ? -1 : value;
    }

    /** A SEND line template for one destination and text length. */
    static final class SendLine {
        private final byte[] prefix;
        private final byte[] padding;
        private final byte[] suffix = ascii("\"}\n");

        SendLine(String to, int textBytes) {
            this.prefix = ascii("{\"op\":\"SEND\",\"to\":\"" + to + "\",\"text\":\"");
            this.padding = new byte[textBytes];
            Arrays.fill(padding, (byte) 'x');
        }

        /** A SEND whose text is {@code sentAt} in digits padded with 'x' to the text length. */
        ByteBuf encode(ByteBufAllocator alloc, long sentAt) {
            String digits = Long.toString(sentAt);
            ByteBuf buf = alloc.buffer(prefix.length + padding.length + suffix.length);
            buf.writeBytes(prefix);
            ByteBufUtil.writeAscii(buf, digits);
            buf.writeBytes(padding, 0, Math.max(0, padding.length - digits.length()));
            buf.writeBytes(suffix);
            return buf;
        }
    }

    /** {@code {"op":"JOIN","id":"join","room":ROOM}}: its OK carries {@code re}. */
    static byte[] join(String room) {
        return ascii("{\"op\":\"JOIN\",\"id\":\"join\",\"room\":\"" + room + "\"}\n");
    }

    static byte[] ping() {
        return ascii("{\"op\":\"PING\",\"id\":\"ping\"}\n");
    }

    private static int indexOf(ByteBuf line, byte[] needle) {
        int last = line.writerIndex() - needle.length;
        for (int i = line.readerIndex(); i <= last; i++) {
            if (startsWith(line, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteBuf line, int at, byte[] prefix) {
        if (line.writerIndex() - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
