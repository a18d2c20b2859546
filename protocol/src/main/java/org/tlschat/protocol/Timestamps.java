package org.tlschat.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code ts} format of MSG frames: RFC 3339, UTC, always with milliseconds. */
public final class Timestamps {

    private static final DateTimeFormatter RFC_3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** Formats an instant as, for example, {@code 2026-11-23T10:15:30.123Z} (truncated to milliseconds). */
    public static String format(Instant instant) {
        return RFC_3339_MILLIS.format(instant);
    }
}
