package org.tlschat.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A client → server frame (PROTOCOL.md §4), written as {@code {"op":"SEND","id":...,...}}.
 *
 * <p>The server reads requests with {@link FrameCodec#decodeRequest}, which validates every field;
 * the Jackson annotations here only shape the JSON a client writes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Request.Auth.class, name = "AUTH"),
    @JsonSubTypes.Type(value = Request.ListUsers.class, name = "LIST"),
    @JsonSubTypes.Type(value = Request.Send.class, name = "SEND"),
    @JsonSubTypes.Type(value = Request.Join.class, name = "JOIN"),
    @JsonSubTypes.Type(value = Request.Part.class, name = "PART"),
    @JsonSubTypes.Type(value = Request.Ping.class, name = "PING"),
    @JsonSubTypes.Type(value = Request.Quit.class, name = "QUIT")
})
public sealed interface Request {

    /** The client's id for this request, echoed as {@code re} in the reply; null when not sent. */
    String id();

    /** {@code AUTH}: password mode only, and the first frame. */
    record Auth(String id, String user, String password) implements Request {
        /** Never prints the password, so a logged request leaks nothing. */
        @Override
        public String toString() {
            return "Auth[id=" + id + ", user=" + user + ", password=***]";
        }
    }

    /** {@code LIST}: the users online anywhere, or the members of {@code room} when it is set. */
    record ListUsers(String id, String room) implements Request {}

    /** {@code SEND}: {@code text} to a user, or to a {@code #room} the session has joined. */
    record Send(String id, String to, String text) implements Request {}

    /** {@code JOIN}: the session joins a room. */
    record Join(String id, String room) implements Request {}

    /** {@code PART}: the session leaves a room. */
    record Part(String id, String room) implements Request {}

    /** {@code PING}: liveness; answered by PONG. */
    record Ping(String id) implements Request {}

    /** {@code QUIT}: answered by BYE, then the server closes. */
    record Quit(String id) implements Request {}
}
