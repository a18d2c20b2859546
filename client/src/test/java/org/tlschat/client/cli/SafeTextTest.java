package org.tlschat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The renderer of network text: a table of hostile inputs and what the terminal gets instead. */
class SafeTextTest {

    static Stream<Arguments> oneLine() {
        return Stream.of(
                Arguments.of("plain text", "plain text"),
                Arguments.of(
                        "naïve 日本語 👍🏽 👨\u200d👩\u200d👧 ل\u200cب", "naïve 日本語 👍🏽 👨\u200d👩\u200d👧 ل\u200cب"),
                Arguments.of("back\\slash", "back\\\\slash"),
                Arguments.of("\\x1b is not ESC", "\\\\x1b is not ESC"),
                Arguments.of("two\nlines", "two\\nlines"),
                Arguments.of("cr\rlf\r\n", "cr\\rlf\\r\\n"),
                Arguments.of("tab\t", "tab\\t"),
                Arguments.of("nul\0 bel\u0007 bs\b vt\u000b ff\f", "nul\\x00 bel\\x07 bs\\x08 vt\\x0b ff\\x0c"),
                Arguments.of("\u001b[2J\u001b[H", "\\x1b[2J\\x1b[H"), // CSI: clear screen, home
                Arguments.of("\u001b]0;pwned\u0007", "\\x1b]0;pwned\\x07"), // OSC: set the title
                Arguments.of(
                        "\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\",
                        "\\x1b]8;;http://evil\\x1b\\\\link\\x1b]8;;\\x1b\\\\"),
                Arguments.of("\u001bPq\u001b\\", "\\x1bPq\\x1b\\\\"), // DCS
                Arguments.of("del\u007f", "del\\x7f"),
                Arguments.of("c1 \u0080 \u0085 \u009b \u009d \u009f", "c1 \\x80 \\x85 \\x9b \\x9d \\x9f"),
                Arguments.of("\u00a0nbsp stays", "\u00a0nbsp stays"),
                Arguments.of(
                        "\u202a\u202b\u202c\u202d\u202e",
                        "\\u202a\\u202b\\u202c\\u202d\\u202e"), // embeddings, overrides
                Arguments.of("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"), // isolates
                Arguments.of("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"), // marks
                Arguments.of("zw\u200bsp wj\u2060 bom\ufeff shy\u00ad", "zw\\u200bsp wj\\u2060 bom\\ufeff shy\\u00ad"),
                Arguments.of("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"),
                Arguments.of("tag\udb40\udc41", "tag\\U000e0041"), // invisible tag characters
                Arguments.of("lone\ud800 surrogate\udc00", "lone\\ud800 surrogate\\udc00"),
                Arguments.of("", ""),
                Arguments.of(null, "null"));
    }

    @ParameterizedTest
    @MethodSource
    void oneLine(String network, String shown) {
        assertThat(SafeText.line(network)).isEqualTo(shown);
    }

    @Test
    void ordinaryTextIsReturnedAsItIs() {
        String text = "deploy at noon, café";
        assertThat(SafeText.line(text)).isSameAs(text);
    }

    @Test
    void aBlockMarksEveryFurtherLineAndEscapesEachOne() {
        String nl = System.lineSeparator();

        assertThat(SafeText.block("[12:00:00] <bob> ", "one line")).isEqualTo("[12:00:00] <bob> one line");
        assertThat(SafeText.block("<bob> ", "hi\n[12:00:00] <carol> fake\r\n\u001b[2J\n"))
                .isEqualTo("<bob> hi" + nl + "  | [12:00:00] <carol> fake" + nl + "  | \\x1b[2J" + nl + "  | ");
        assertThat(SafeText.block("<bob> ", "a\rb")).isEqualTo("<bob> a\\rb");
        assertThat(SafeText.block("<bob> ", null)).isEqualTo("<bob> null");
    }
}
