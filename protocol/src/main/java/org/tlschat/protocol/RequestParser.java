package org.tlschat.protocol;

import static org.tlschat.protocol.ErrorCode.BAD_FRAME;
import static org.tlschat.protocol.ErrorCode.BAD_NAME;
import static org.tlschat.protocol.ErrorCode.TEXT_TOO_LONG;
import static org.tlschat.protocol.ErrorCode.UNKNOWN_OP;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one parsed JSON value into a {@link Request}, checking every field the op needs and
 * naming the field that is wrong. Fields the op does not use are ignored. One instance per frame.
 */
final class RequestParser {

    private final JsonNode frame;
    private final String re;

    private RequestParser(JsonNode frame, String re) {
        this.frame = frame;
        this.re = re;
    }

    static Request parse(JsonNode frame) throws FrameException {
        if (!frame.isObject()) {
            throw new FrameException(BAD_FRAME, "a frame must be a JSON object", null);
        }
        return new RequestParser(frame, id(frame)).request();
    }

    /** The optional {@code id}, checked first so that every later error can answer it. */
    private static String id(JsonNode frame) throws FrameException {
        JsonNode id = frame.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual()
                || id.textValue().isEmpty()
                || Names.textLength(id.textValue()) > Limits.MAX_ID_CHARS
                || !isWellFormed(id.textValue())) {
            throw new FrameException(
                    BAD_FRAME, "id must be a string of 1 to " + Limits.MAX_ID_CHARS + " characters", null);
        }
        return id.textValue();
    }

    private Request request() throws FrameException {
        String op = string("op");
        return switch (op) {
            case "AUTH" -> new Request.Auth(re, user("user"), string("password"));
            case "LIST" -> new Request.ListUsers(re, frame.hasNonNull("room") ? room("room") : null);
            case "SEND" -> new Request.Send(re, recipient("to"), text("text"));
            case "JOIN" -> new Request.Join(re, room("room"));
            case "PART" -> new Request.Part(re, room("room"));
            case "PING" -> new Request.Ping(re);
            case "QUIT" -> new Request.Quit(re);
            default ->
                throw new FrameException(
                        UNKNOWN_OP, "unknown op; expected AUTH, LIST, SEND, JOIN, PART, PING or QUIT", re);
        };
    }

    private String string(String field) throws FrameException {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw new FrameException(BAD_FRAME, "missing field " + field, re);
        }
        if (!value.isTextual()) {
            throw new FrameException(BAD_FRAME, field + " must be a string", re);
        }
        return value.textValue();
    }

    private String user(String field) throws FrameException {
        String name = string(field);
        if (!Names.isUser(name)) {
            throw new FrameException(
                    BAD_NAME,
                    field + " must be a user name: 1-32 of a-z 0-9 . _ - starting with a letter or digit",
                    re);
        }
        return name;
    }

    private String room(String field) throws FrameException {
        String name = string(field);
        if (!Names.isRoom(name)) {
            throw new FrameException(
                    BAD_NAME,
                    field + " must be a room name: # then 1-64 of a-z 0-9 . _ - starting with a letter or digit",
                    re);
        }
        return name;
    }

    private String recipient(String field) throws FrameException {
        String name = string(field);
        if (!Names.isUser(name) && !Names.isRoom(name)) {
            throw new FrameException(BAD_NAME, field + " must be a user name or a #room name", re);
        }
        return name;
    }

    private String text(String field) throws FrameException {
        String text = string(field);
        if (text.isEmpty()) {
            throw new FrameException(BAD_FRAME, field + " must not be empty", re);
        }
        if (!isWellFormed(text)) {
            throw new FrameException(BAD_FRAME, field + " contains an unpaired surrogate", re);
        }
        if (Names.textLength(text) > Limits.MAX_TEXT_CODE_POINTS) {
            throw new FrameException(
                    TEXT_TOO_LONG, field + " is longer than " + Limits.MAX_TEXT_CODE_POINTS + " characters", re);
        }
        return text;
    }

    /**
     * False when the string holds an unpaired surrogate ({@code "\ud800"} is valid JSON): such a
     * string cannot be written as UTF-8, so echoing it in a reply or a MSG would fail.
     */
    private static boolean isWellFormed(String s) {
        return s.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }
}
