package org.tlschat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame;

/** What the CLI prints for each frame: ordinary text as it was, hostile text escaped and marked. */
class FormatsTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final String NL = System.lineSeparator();
    private static final String TS = "2024-05-01T12:00:00Z";

    private static ServerFrame.Msg msg(String from, String to, String text) {
        return new ServerFrame.Msg("m1", from, to, text, TS);
    }

    @Test
    void ordinaryMessagesAreUnchanged() {
        assertThat(Formats.message(msg("bob", "alice", "hi alice"), UTC)).isEqualTo("[12:00:00] <bob> hi alice");
        assertThat(Formats.message(msg("bob", "#ops", "deploy at noon"), UTC))
                .isEqualTo("[12:00:00] #ops <bob> deploy at noon");
        assertThat(Formats.message(msg("bob", "alice", "naïve café, 日本語, emoji 👍🏽 and 👨‍👩‍👧"), UTC))
                .isEqualTo("[12:00:00] <bob> naïve café, 日本語, emoji 👍🏽 and 👨‍👩‍👧");
        assertThat(Formats.user(new ServerFrame.UserEntry("bob", 2))).isEqualTo("bob (2 sessions)");
    }

    /** Each input is a Java-escaped message text; the expected output is what is printed, line by line. */
    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            hi\\n[12:00:00] <carol> fake => [12:00:00] <bob> hi{NL}  | [12:00:00] <carol> fake
            \\u001b]0;pwned\\u0007 => [12:00:00] <bob> \\x1b]0;pwned\\x07
            \\u001b[2Jclear => [12:00:00] <bob> \\x1b[2Jclear
            \\u202edesrever => [12:00:00] <bob> \\u202edesrever
            one\\r\\ntwo => [12:00:00] <bob> one{NL}  | two
            over\\rwrite => [12:00:00] <bob> over\\rwrite
            tab\\there => [12:00:00] <bob> tab\\there
            a\\\\x1b b => [12:00:00] <bob> a\\\\x1b b
            \\u009b2J c1 csi => [12:00:00] <bob> \\x9b2J c1 csi
            del\\u007f => [12:00:00] <bob> del\\x7f
            \\u2066isolate\\u2069 \\u200e \\u061c => [12:00:00] <bob> \\u2066isolate\\u2069 \\u200e \\u061c
            line\\u2028sep\\u2029par => [12:00:00] <bob> line\\u2028sep\\u2029par
            \\n => "[12:00:00] <bob> {NL}  | "
            """)
    void hostileMessageTextIsEscapedAndEveryFurtherLineMarked(String text, String expected) {
        String printed = Formats.message(msg("bob", "alice", unescape(text)), UTC);

        assertThat(printed).isEqualTo(expected.replace("{NL}", NL));
    }

    @Test
    void namesAndRoomsFromTheNetworkAreEscapedOnOneLine() {
        assertThat(Formats.message(msg("bo\u001b[2Jb", "#o\nps", "hi"), UTC))
                .isEqualTo("[12:00:00] #o\\nps <bo\\x1b[2Jb> hi");
        assertThat(Formats.user(new ServerFrame.UserEntry("eve\n[12:00:00] <bob> x", 1)))
                .isEqualTo("eve\\n[12:00:00] <bob> x (1 session)");
        assertThat(Formats.presence(new ServerFrame.Presence("eve\u202e", PresenceEvent.JOIN, "#a\u0007"), UTC))
                .endsWith("] * eve\\u202e joined #a\\x07");
    }

    @Test
    void errorsAndReconnectNoticesFromTheNetworkAreEscapedOnOneLine() {
        List<String> printed = new ArrayList<>();
        EventPrinter events = new EventPrinter(printed::add, printed::add, UTC);

        events.onError(ServerFrame.Err.of(ErrorCode.BAD_FRAME, "bad\n[12:00:00] <bob> \u001b]0;t\u0007", null));
        events.onReconnecting(HostPort.parse("127.0.0.1:7443"), "shut\u001b[2Jdown");
        events.onReconnected(
                HostPort.parse("127.0.0.1:7444"), new ServerFrame.Welcome("ali\u202ece", "s1", "n1", "tlschat", null));

        assertThat(printed)
                .containsExactly(
                        "error: bad\\n[12:00:00] <bob> \\x1b]0;t\\x07 (BAD_FRAME)",
                        "* connection to 127.0.0.1:7443 lost (shut\\x1b[2Jdown); reconnecting...",
                        "* reconnected to 127.0.0.1:7444 as ali\\u202ece");
    }

    /** Reads the Java escapes of the table: {@code \n}, {@code \r}, {@code \t}, {@code \\}, {@code \}{@code uXXXX}. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + next);
            }
        }
        return out.toString();
    }
}
