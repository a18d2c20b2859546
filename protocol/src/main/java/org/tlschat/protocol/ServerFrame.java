package org.tlschat.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A server → client frame (PROTOCOL.md §5), written as {@code {"type":"MSG",...}}; null fields are
 * left out. Components are declared in wire order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ServerFrame.Welcome.class, name = "WELCOME"),
    @JsonSubTypes.Type(value = ServerFrame.AuthRequired.class, name = "AUTH_REQUIRED"),
    @JsonSubTypes.Type(value = ServerFrame.Users.class, name = "USERS"),
    @JsonSubTypes.Type(value = ServerFrame.Ok.class, name = "OK"),
    @JsonSubTypes.Type(value = ServerFrame.Msg.class, name = "MSG"),
    @JsonSubTypes.Type(value = ServerFrame.Presence.class, name = "PRESENCE"),
    @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "PONG"),
    @JsonSubTypes.Type(value = ServerFrame.Err.class, name = "ERR"),
    @JsonSubTypes.Type(value = ServerFrame.Bye.class, name = "BYE")
})
public sealed interface ServerFrame {

    /** {@code WELCOME}: the session is established; the first frame after the handshake or AUTH. */
    record Welcome(String user, String session, String node, String server, FrameLimits limits)
            implements ServerFrame {}

    /**
     * The limits announced in WELCOME. The fields after {@code max_text} were added later: a server
     * that does not send them leaves them null here. A rate of 0 means no limit.
     *
     * @param idleTimeout  seconds of silence after which the server closes the connection
     * @param maxRooms     rooms one session may be in at once (0 = no limit)
     * @param messageRate  SEND per second per session (0 = no limit), with bursts of {@code messageBurst}
     * @param requestRate  requests of any op per second per session (0 = no limit), bursts of {@code requestBurst}
     */
    record FrameLimits(
            @JsonProperty("max_frame") int maxFrame,
            @JsonProperty("max_text") int maxText,
            @JsonProperty("idle_timeout") Integer idleTimeout,
            @JsonProperty("max_rooms") Integer maxRooms,
            @JsonProperty("message_rate") Integer messageRate,
            @JsonProperty("message_burst") Integer messageBurst,
            @JsonProperty("request_rate") Integer requestRate,
            @JsonProperty("request_burst") Integer requestBurst) {

        /** The limits of a server that announces only the frame and text sizes. */
        public FrameLimits(int maxFrame, int maxText) {
            this(maxFrame, maxText, null, null, null, null, null, null);
        }
    }

    /** {@code AUTH_REQUIRED}: password mode; the client must send AUTH first. */
    record AuthRequired(List<String> mechanisms) implements ServerFrame {
        /** The only mechanism of protocol version 1. */
        public static final String PASSWORD = "PASSWORD";

        public AuthRequired {
            mechanisms = List.copyOf(mechanisms);
        }
    }

    /** {@code USERS}: answers LIST; {@code room} is set when a room was asked for. Sorted by user. */
    record Users(String re, String room, List<UserEntry> users) implements ServerFrame {
        public Users {
            users = List.copyOf(users);
        }
    }

    /** One user of a USERS frame, with the number of sessions it holds. */
    record UserEntry(String user, int sessions) {}

    /** {@code OK}: a request succeeded; {@code msg} is the message id when it answers SEND. */
    record Ok(String re, String msg) implements ServerFrame {}

    /** {@code MSG}: a delivered message; {@code ts} as made by {@link Timestamps#format}. */
    record Msg(String msg, String from, String to, String text, String ts) implements ServerFrame {}

    /** {@code PRESENCE}: {@code room} is set for JOIN and PART, null for ONLINE and OFFLINE. */
    record Presence(String user, PresenceEvent event, String room) implements ServerFrame {}

    /** {@code PONG}: answers PING. */
    record Pong(String re) implements ServerFrame {}

    /** {@code ERR}: {@code re} is set when it answers a request; after a fatal one the server closes. */
    record Err(String re, ErrorCode code, String message, boolean fatal) implements ServerFrame {
        /** An ERR that is fatal exactly when its code is {@linkplain ErrorCode#alwaysFatal() always fatal}. */
        public static Err of(ErrorCode code, String message, String re) {
            return new Err(re, code, message, code.alwaysFatal());
        }
    }

    /** {@code BYE}: the server is about to close; {@code reason} is quit, shutdown, or an error code. */
    record Bye(String reason) implements ServerFrame {
        /** The answer to QUIT. */
        public static final Bye QUIT = new Bye("quit");
        /** Sent to every session when the server shuts down. */
        public static final Bye SHUTDOWN = new Bye("shutdown");

        /** A BYE after a fatal error, giving the error's code as the reason. */
        public static Bye after(ErrorCode code) {
            return new Bye(code.name());
        }
    }
}
