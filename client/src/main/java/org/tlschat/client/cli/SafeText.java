package org.tlschat.client.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place the CLI renders text that came from the network (message text, user and room names,
 * ERR messages, BYE reasons), so that it can neither pass for a line of its own nor drive the terminal.
 *
 * <p>Shown escaped: a backslash ({@code \\}, so every escape is unambiguous); tab and carriage return
 * ({@code \t}, {@code \r}); every other C0 control character, DEL and the C1 controls as {@code \xNN}
 * (ESC is {@code \x1b}, so no ESC/CSI/OSC sequence reaches the terminal, nor the 8-bit CSI
 * {@code \x9b}); line and paragraph separators, lone surrogates and the invisible format characters
 * (Unicode category Cf: bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
 * marks U+200E, U+200F, U+061C, zero-width space, word joiner, BOM, tag characters...) as
 * {@code \}{@code uXXXX} or, above U+FFFF, {@code \U00XXXXXX}. The zero-width joiner and non-joiner
 * (U+200C, U+200D) stay: emoji sequences and several scripts need them, and they move nothing. Any
 * other text, including every printable non-ASCII character, is shown as it is.
 *
 * <p>A line break is {@code \n} inside a {@linkplain #line one-line} field; in a
 * {@linkplain #block message} each further line is printed under the first one behind
 * {@link #CONTINUATION}, which no message line starts with.
 */
public final class SafeText {
    /** The mark in front of the second and further lines of a multi-line message. */
    public static final String CONTINUATION = "  | ";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {}

    /** {@code text} on one line, escaped; {@code "null"} for null, as string concatenation would show it. */
    public static String line(String text) {
        if (text == null) {
            return "null";
        }
        if (isSafe(text)) {
            return text; // the common case: no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> append(out, cp));
        return out.toString();
    }

    /**
     * {@code header} followed by the first line of {@code text}; every further line of {@code text} (split at
     * {@code \n} or {@code \r\n}) on its own line behind {@link #CONTINUATION}; each line escaped as by
     * {@link #line}. Lines are joined with the platform's line separator. {@code header} is not escaped.
     */
    public static String block(String header, String text) {
        List<String> lines = lines(text);
        StringBuilder out = new StringBuilder(header).append(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            out.append(System.lineSeparator()).append(CONTINUATION).append(lines.get(i));
        }
        return out.toString();
    }

    /** The lines of {@code text} (split at {@code \n} or {@code \r\n}, empty ones kept), each escaped. */
    static List<String> lines(String text) {
        if (text == null) {
            return List.of("null");
        }
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\r?\n", -1)) {
            lines.add(line(raw));
        }
        return lines;
    }

    private static boolean isSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x7f ? c < 0x20 || c == '\\' : mustEscape(c)) {
                return false;
            }
        }
        return true;
    }

    /** True for a code point (or a lone UTF-16 unit, when called from {@link #isSafe}) shown escaped. */
    private static boolean mustEscape(int cp) {
        if (cp < 0x20 || cp == '\\' || (cp >= 0x7f && cp <= 0x9f)) {
            return true;
        }
        if (cp < 0xa0) {
            return false;
        }
        if (cp == 0x200c || cp == 0x200d) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            default -> false;
        };
    }

    private static void append(StringBuilder out, int cp) {
        if (!mustEscape(cp)) {
            out.appendCodePoint(cp);
        } else if (cp == '\\') {
            out.append("\\\\");
        } else if (cp == '\t') {
            out.append("\\t");
        } else if (cp == '\r') {
            out.append("\\r");
        } else if (cp == '\n') {
            out.append("\\n");
        } else if (cp <= 0x9f) { // C0, DEL, C1
            out.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
        } else if (cp <= 0xffff) {
            hex(out.append("\\u"), cp, 4);
        } else {
            hex(out.append("\\U"), cp, 8);
        }
    }

    private static void hex(StringBuilder out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(value >> shift) & 0xf]);
        }
    }
}
