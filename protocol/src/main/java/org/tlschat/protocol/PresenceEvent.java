package org.tlschat.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a {@code PRESENCE} frame reports; written in lower case on the wire. */
public enum PresenceEvent {
    /** The user joined the room named in the frame. */
    JOIN,
    /** The user left the room named in the frame. */
    PART,
    /** The user's first session cluster-wide began. */
    ONLINE,
    /** The user's last session cluster-wide ended. */
    OFFLINE;

    @JsonValue
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
