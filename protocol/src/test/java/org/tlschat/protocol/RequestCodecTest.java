package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.tlschat.protocol.Lines.buf;
import static org.tlschat.protocol.Lines.take;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestCodecTest {

    private final FrameCodec codec = new FrameCodec();

    static Iterable<Request> requests() {
        return Samples.requests();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void everyRequestSurvivesARoundTrip(Request request) throws FrameException {
        String line = encode(request);

        assertThat(line).endsWith("}\n").startsWith("{\"op\":\"");
        assertThat(decode(line.substring(0, line.length() - 1))).isEqualTo(request);
    }

    @Test
    void writesTheContractsExamples() {
        assertThat(encode(new Request.ListUsers("1", null))).isEqualTo("{\"op\":\"LIST\",\"id\":\"1\"}\n");
        assertThat(encode(new Request.Send("2", "bob", "hi bob")))
                .isEqualTo("{\"op\":\"SEND\",\"id\":\"2\",\"to\":\"bob\",\"text\":\"hi bob\"}\n");
    }

    @Test
    void readsTheContractsExamples() throws FrameException {
        assertThat(decode("{\"op\":\"LIST\",\"id\":\"1\"}")).isEqualTo(new Request.ListUsers("1", null));
        assertThat(decode("{\"op\":\"SEND\",\"id\":\"3\",\"to\":\"mallory\",\"text\":\"?\"}"))
                .isEqualTo(new Request.Send("3", "mallory", "?"));
    }

    @Test
    void ignoresUnknownFieldsAndAClaimedSender() throws FrameException {
        assertThat(
                        decode(
                                "{\"from\":\"mallory\",\"op\":\"SEND\",\"to\":\"bob\",\"text\":\"hi\",\"x\":{\"y\":[1,2.5,true]}}"))
                .isEqualTo(new Request.Send(null, "bob", "hi"));
    }

    @Test
    void treatsANullIdOrRoomAsAbsent() throws FrameException {
        assertThat(decode("{\"op\":\"LIST\",\"id\":null,\"room\":null}")).isEqualTo(new Request.ListUsers(null, null));
    }

    @Test
    void leavesTheBufferAsItWas() throws FrameException {
        ByteBuf line = buf("{\"op\":\"PING\"}");
        codec.decodeRequest(line);
        assertThat(line.readerIndex()).isZero();
        assertThat(line.refCnt()).isEqualTo(1);
        line.release();
    }

    @Test
    void refusesInvalidJson() {
        assertRefused("{\"op\":\"PING\"", ErrorCode.BAD_FRAME, null, "invalid frame");
        assertRefused("hello", ErrorCode.BAD_FRAME, null, "invalid frame");
    }

    @Test
    void refusesInvalidUtf8() {
        ByteBuf line = buf("{\"op\":\"SEND\",\"to\":\"bob\",\"text\":\"x\"}");
        line.setByte(30, 0xff);
        FrameException e = catchThrowableOfType(FrameException.class, () -> codec.decodeRequest(line));
        line.release();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @Test
    void refusesANonObject() {
        assertRefused("[{\"op\":\"PING\"}]", ErrorCode.BAD_FRAME, null, "JSON object");
        assertRefused("\"PING\"", ErrorCode.BAD_FRAME, null, "JSON object");
    }

    @Test
    void refusesTrailingContent() {
        assertRefused("{\"op\":\"PING\"} {\"op\":\"QUIT\"}", ErrorCode.BAD_FRAME, null, "invalid frame");
    }

    @Test
    void refusesDuplicateKeys() {
        assertRefused(
                "{\"op\":\"SEND\",\"to\":\"bob\",\"to\":\"#ops\",\"text\":\"x\"}", ErrorCode.BAD_FRAME, null, "to");
    }

    @Test
    void namesAMissingOp() {
        assertRefused("{\"id\":\"7\"}", ErrorCode.BAD_FRAME, "7", "missing field op");
    }

    @Test
    void namesAMistypedOp() {
        assertRefused("{\"id\":\"7\",\"op\":1}", ErrorCode.BAD_FRAME, "7", "op must be a string");
    }

    @Test
    void refusesAnUnknownOp() {
        assertRefused("{\"id\":\"7\",\"op\":\"KICK\"}", ErrorCode.UNKNOWN_OP, "7", "unknown op");
        assertRefused("{\"id\":\"7\",\"op\":\"send\"}", ErrorCode.UNKNOWN_OP, "7", "unknown op");
    }

    @Test
    void namesAMissingOrMistypedField() {
        assertRefused("{\"id\":\"7\",\"op\":\"SEND\",\"to\":\"bob\"}", ErrorCode.BAD_FRAME, "7", "missing field text");
        assertRefused(
                "{\"id\":\"7\",\"op\":\"SEND\",\"to\":42,\"text\":\"x\"}",
                ErrorCode.BAD_FRAME,
                "7",
                "to must be a string");
        assertRefused(
                "{\"id\":\"7\",\"op\":\"JOIN\",\"room\":[\"#ops\"]}",
                ErrorCode.BAD_FRAME,
                "7",
                "room must be a string");
        assertRefused("{\"op\":\"AUTH\",\"user\":\"alice\"}", ErrorCode.BAD_FRAME, null, "missing field password");
    }

    @Test
    void refusesBadNames() {
        assertRefused("{\"id\":\"7\",\"op\":\"SEND\",\"to\":\"Bob\",\"text\":\"x\"}", ErrorCode.BAD_NAME, "7", "to");
        assertRefused("{\"id\":\"7\",\"op\":\"JOIN\",\"room\":\"ops\"}", ErrorCode.BAD_NAME, "7", "room");
        assertRefused("{\"id\":\"7\",\"op\":\"PART\",\"room\":\"#\"}", ErrorCode.BAD_NAME, "7", "room");
        assertRefused("{\"id\":\"7\",\"op\":\"LIST\",\"room\":\"#Ops\"}", ErrorCode.BAD_NAME, "7", "room");
        assertRefused(
                "{\"id\":\"7\",\"op\":\"AUTH\",\"user\":\"al ice\",\"password\":\"p\"}",
                ErrorCode.BAD_NAME,
                "7",
                "user");
    }

    @Test
    void acceptsTextOfTheMaximumLengthCountedInCodePoints() throws FrameException {
        String text = "😀".repeat(Limits.MAX_TEXT_CODE_POINTS / 2) + "a".repeat(Limits.MAX_TEXT_CODE_POINTS / 2);

        assertThat(decode(send(text))).isEqualTo(new Request.Send("7", "bob", text));
    }

    @Test
    void refusesTextOneCodePointTooLong() {
        String text = "😀".repeat(Limits.MAX_TEXT_CODE_POINTS + 1);
        assertRefused(send(text), ErrorCode.TEXT_TOO_LONG, "7", "longer than 8192");
    }

    @Test
    void refusesEmptyText() {
        assertRefused(send(""), ErrorCode.BAD_FRAME, "7", "text must not be empty");
    }

    @Test
    void refusesTextThatCannotBeWrittenAsUtf8() {
        assertRefused(send("\\ud800x"), ErrorCode.BAD_FRAME, "7", "unpaired surrogate");
    }

    @Test
    void acceptsIdsOfOneTo64Characters() throws FrameException {
        String id = "i".repeat(Limits.MAX_ID_CHARS);
        assertThat(decode("{\"op\":\"PING\",\"id\":\"" + id + "\"}")).isEqualTo(new Request.Ping(id));
        assertThat(decode("{\"op\":\"PING\",\"id\":\"x\"}")).isEqualTo(new Request.Ping("x"));
    }

    @Test
    void refusesABadIdWithoutEchoingIt() {
        assertRefused("{\"op\":\"PING\",\"id\":\"" + "i".repeat(65) + "\"}", ErrorCode.BAD_FRAME, null, "id must be");
        assertRefused("{\"op\":\"PING\",\"id\":\"\"}", ErrorCode.BAD_FRAME, null, "id must be");
        assertRefused("{\"op\":\"PING\",\"id\":7}", ErrorCode.BAD_FRAME, null, "id must be");
        assertRefused("{\"op\":\"PING\",\"id\":\"\\udc00\"}", ErrorCode.BAD_FRAME, null, "id must be");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(20) + "]".repeat(20);
        assertRefused("{\"op\":\"PING\",\"x\":" + deep + "}", ErrorCode.BAD_FRAME, null, "nesting");
    }

    @Test
    void refusesAHugeNumber() {
        assertRefused(
                "{\"op\":\"PING\",\"x\":" + "9".repeat(100) + "}", ErrorCode.BAD_FRAME, null, "Number value length");
        assertRefused(
                "{\"op\":\"PING\",\"x\":1." + "5".repeat(100) + "}", ErrorCode.BAD_FRAME, null, "Number value length");
    }

    @Test
    void refusesALineLongerThanItsFrameLimit() {
        FrameCodec small = new FrameCodec(64);
        ByteBuf line = buf("{\"op\":\"PING\",\"pad\":\"" + "x".repeat(64) + "\"}");
        FrameException e = catchThrowableOfType(FrameException.class, () -> small.decodeRequest(line));
        line.release();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(e.getMessage()).contains("length");
    }

    @Test
    void authNeverPrintsThePassword() {
        Request auth = new Request.Auth("1", "alice", "hunter2");
        assertThat(auth.toString()).contains("alice").doesNotContain("hunter2");
    }

    private static String send(String text) {
        return "{\"id\":\"7\",\"op\":\"SEND\",\"to\":\"bob\",\"text\":\"" + text + "\"}";
    }

    private String encode(Request request) {
        return take(codec.encode(request, UnpooledByteBufAllocator.DEFAULT));
    }

    private Request decode(String line) throws FrameException {
        ByteBuf buf = buf(line);
        try {
            return codec.decodeRequest(buf);
        } finally {
            buf.release();
        }
    }

    private void assertRefused(String line, ErrorCode code, String re, String messagePart) {
        FrameException e = catchThrowableOfType(FrameException.class, () -> decode(line));
        assertThat(e).as("refusal of %s", line).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.re()).isEqualTo(re);
        assertThat(e.getMessage()).contains(messagePart);
    }
}
