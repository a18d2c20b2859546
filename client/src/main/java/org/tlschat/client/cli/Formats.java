package org.tlschat.client.cli;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.tlschat.protocol.ServerFrame;

/**
 * How the CLI shows frames to a person: {@code [14:03:05] #ops <alice> deploy}. Every piece of text from
 * the network goes through {@link SafeText}: names on one line, a message's further lines marked.
 */
final class Formats {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Formats() {}

    /**
     * {@code [14:03:05] <alice> hi bob} (direct) or {@code [14:03:05] #ops <alice> deploy} (room); a
     * multi-line text gives one line each, the second and later behind {@link SafeText#CONTINUATION}.
     */
    static String message(ServerFrame.Msg msg, ZoneId zone) {
        String where = msg.to() != null && msg.to().startsWith("#") ? SafeText.line(msg.to()) + " " : "";
        return SafeText.block(
                "[" + clock(msg.ts(), zone) + "] " + where + "<" + SafeText.line(msg.from()) + "> ", msg.text());
    }

    /** {@code [14:03:05] * bob joined #ops}; presence has no timestamp, so the local clock is used. */
    static String presence(ServerFrame.Presence presence, ZoneId zone) {
        String what = switch (presence.event()) {
            case JOIN -> "joined " + SafeText.line(presence.room());
            case PART -> "left " + SafeText.line(presence.room());
            case ONLINE -> "is online";
            case OFFLINE -> "went offline";
        };
        return "[" + LocalTime.now(zone).format(CLOCK) + "] * " + SafeText.line(presence.user()) + " " + what;
    }

    /** {@code alice (2 sessions)}. */
    static String user(ServerFrame.UserEntry entry) {
        return SafeText.line(entry.user()) + " (" + entry.sessions()
                + (entry.sessions() == 1 ? " session)" : " sessions)");
    }

    /** The local time of an RFC 3339 timestamp, {@code HH:mm:ss}; now when it does not parse. */
    static String clock(String ts, ZoneId zone) {
        Instant instant;
        try {
            instant = ts == null ? Instant.now() : Instant.parse(ts);
        } catch (DateTimeParseException e) {
            instant = Instant.now();
        }
        return instant.atZone(zone).toLocalTime().format(CLOCK);
    }
}
