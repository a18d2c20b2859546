package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.tlschat.protocol.Lines.buf;
import static org.tlschat.protocol.Lines.take;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlschat.protocol.ServerFrame.FrameLimits;
import org.tlschat.protocol.ServerFrame.UserEntry;

class ServerFrameCodecTest {

    private static final ObjectMapper PLAIN_JSON = new ObjectMapper();

    private final FrameCodec codec = new FrameCodec();

    static Iterable<ServerFrame> serverFrames() {
        return Samples.serverFrames();
    }

    @ParameterizedTest
    @MethodSource("serverFrames")
    void everyFrameIsOneLineStartingWithItsTypeAndSurvivesARoundTrip(ServerFrame frame) throws FrameException {
        String line = encode(frame);

        assertThat(line).startsWith("{\"type\":\"").endsWith("}\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(decode(line.substring(0, line.length() - 1))).isEqualTo(frame);
    }

    @Test
    void writesTheContractsExampleSessionByteForByte() throws IOException {
        assertEncodes(
                new ServerFrame.Welcome("alice", "n1-7f3a", "n1", "tlschat/0.1.0", new FrameLimits(65536, 8192)),
                "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"n1-7f3a\",\"node\":\"n1\","
                        + "\"server\":\"tlschat/0.1.0\",\"limits\":{\"max_frame\":65536,\"max_text\":8192}}");
        assertEncodes(
                new ServerFrame.Users("1", null, List.of(new UserEntry("alice", 1), new UserEntry("bob", 2))),
                "{\"type\":\"USERS\",\"re\":\"1\",\"users\":[{\"user\":\"alice\",\"sessions\":1},"
                        + "{\"user\":\"bob\",\"sessions\":2}]}");
        assertEncodes(
                new ServerFrame.Ok("2", "n1-000000000042"),
                "{\"type\":\"OK\",\"re\":\"2\",\"msg\":\"n1-000000000042\"}");
        assertEncodes(
                new ServerFrame.Err("3", ErrorCode.NO_SUCH_USER, "mallory is not online", false),
                "{\"type\":\"ERR\",\"re\":\"3\",\"code\":\"NO_SUCH_USER\",\"message\":\"mallory is not online\","
                        + "\"fatal\":false}");
    }

    @Test
    void welcomeAnnouncesTheSessionLimitsAndAnOlderWelcomeWithoutThemStillReads() throws Exception {
        assertEncodes(
                new ServerFrame.Welcome(
                        "alice",
                        "n1-7f3a",
                        "n1",
                        "tlschat/0.1.0",
                        new FrameLimits(65536, 8192, 90, 100, 100, 200, 200, 400)),
                "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"n1-7f3a\",\"node\":\"n1\","
                        + "\"server\":\"tlschat/0.1.0\",\"limits\":{\"max_frame\":65536,\"max_text\":8192,"
                        + "\"idle_timeout\":90,\"max_rooms\":100,\"message_rate\":100,\"message_burst\":200,"
                        + "\"request_rate\":200,\"request_burst\":400}}");

        ServerFrame older = decode("{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"n1-7f3a\",\"node\":\"n1\","
                + "\"server\":\"tlschat/0.1.0\",\"limits\":{\"max_frame\":65536,\"max_text\":8192}}");

        assertThat(((ServerFrame.Welcome) older).limits()).isEqualTo(new FrameLimits(65536, 8192));
        assertThat(((ServerFrame.Welcome) older).limits().idleTimeout()).isNull();
    }

    @Test
    void writesEveryOtherFrameAsTheContractDescribes() throws IOException {
        assertEncodes(
                new ServerFrame.AuthRequired(List.of(ServerFrame.AuthRequired.PASSWORD)),
                "{\"type\":\"AUTH_REQUIRED\",\"mechanisms\":[\"PASSWORD\"]}");
        assertEncodes(
                new ServerFrame.Users("4", "#ops", List.of(new UserEntry("bob", 1))),
                "{\"type\":\"USERS\",\"re\":\"4\",\"room\":\"#ops\",\"users\":[{\"user\":\"bob\",\"sessions\":1}]}");
        assertEncodes(new ServerFrame.Ok("5", null), "{\"type\":\"OK\",\"re\":\"5\"}");
        assertEncodes(
                new ServerFrame.Msg("n1-000000000043", "alice", "#ops", "hi all", "2026-11-23T10:15:30.123Z"),
                "{\"type\":\"MSG\",\"msg\":\"n1-000000000043\",\"from\":\"alice\",\"to\":\"#ops\",\"text\":\"hi all\","
                        + "\"ts\":\"2026-11-23T10:15:30.123Z\"}");
        assertEncodes(
                new ServerFrame.Presence("bob", PresenceEvent.PART, "#ops"),
                "{\"type\":\"PRESENCE\",\"user\":\"bob\",\"event\":\"part\",\"room\":\"#ops\"}");
        assertEncodes(
                new ServerFrame.Presence("bob", PresenceEvent.ONLINE, null),
                "{\"type\":\"PRESENCE\",\"user\":\"bob\",\"event\":\"online\"}");
        assertEncodes(new ServerFrame.Pong("6"), "{\"type\":\"PONG\",\"re\":\"6\"}");
        assertEncodes(ServerFrame.Bye.SHUTDOWN, "{\"type\":\"BYE\",\"reason\":\"shutdown\"}");
        assertEncodes(
                ServerFrame.Bye.after(ErrorCode.SLOW_CONSUMER), "{\"type\":\"BYE\",\"reason\":\"SLOW_CONSUMER\"}");
    }

    @Test
    void writesErrCodeAsItsNameAndFatalAsABoolean() throws Exception {
        JsonNode err = PLAIN_JSON.readTree(encode(ServerFrame.Err.of(ErrorCode.REVOKED, "certificate revoked", null)));

        assertThat(err.get("code").textValue()).isEqualTo("REVOKED");
        assertThat(err.get("fatal").isBoolean()).isTrue();
        assertThat(err.get("fatal").booleanValue()).isTrue();
        assertThat(err.has("re")).isFalse();
    }

    @Test
    void errOfIsFatalExactlyForTheAlwaysFatalCodes() {
        assertThat(ServerFrame.Err.of(ErrorCode.BAD_FRAME, "x", "1").fatal()).isFalse();
        assertThat(ServerFrame.Err.of(ErrorCode.FRAME_TOO_LARGE, "x", null).fatal())
                .isTrue();
    }

    @Test
    void writesTextAsEscapedUtf8OnOneLine() {
        ByteBuf line = codec.encode(
                new ServerFrame.Msg("m", "alice", "bob", "a\nb \"c\" 😀", "t"), UnpooledByteBufAllocator.DEFAULT);

        // the emoji arrives as raw UTF-8: an escaped one would read back as the six characters \ud83d
        assertThat(take(line)).contains("\"text\":\"a\\nb \\\"c\\\" 😀\"");
    }

    @Test
    void readsFramesWithUnknownFields() throws FrameException {
        assertThat(decode("{\"type\":\"PONG\",\"re\":\"1\",\"node\":\"n2\",\"extra\":{\"a\":[1]}}"))
                .isEqualTo(new ServerFrame.Pong("1"));
    }

    @Test
    void refusesAnUnknownOrMissingType() {
        assertRefused("{\"type\":\"SHOUT\",\"text\":\"x\"}");
        assertRefused("{\"re\":\"1\"}");
    }

    @Test
    void refusesInvalidJsonAndNonObjects() {
        assertRefused("{\"type\":\"PONG\"");
        assertRefused("[]");
        assertRefused("{\"type\":\"PONG\"}x");
    }

    @Test
    void refusesAnUnknownPresenceEvent() {
        assertRefused("{\"type\":\"PRESENCE\",\"user\":\"bob\",\"event\":\"away\"}");
    }

    /** Same JSON tree as the contract's example, and the same bytes too (field order included). */
    private void assertEncodes(ServerFrame frame, String json) throws IOException {
        String line = encode(frame);
        assertThat(PLAIN_JSON.readTree(line)).isEqualTo(PLAIN_JSON.readTree(json));
        assertThat(line).isEqualTo(json + "\n");
    }

    private String encode(ServerFrame frame) {
        return take(codec.encode(frame, UnpooledByteBufAllocator.DEFAULT));
    }

    private ServerFrame decode(String line) throws FrameException {
        ByteBuf buf = buf(line);
        try {
            return codec.decodeServerFrame(buf);
        } finally {
            buf.release();
        }
    }

    private void assertRefused(String line) {
        FrameException e = catchThrowableOfType(FrameException.class, () -> decode(line));
        assertThat(e).as("refusal of %s", line).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(e.re()).isNull();
    }
}
