package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md and the code say the same: its tables of error codes, ops and server frame
 * types list exactly what the code has, and its name rules are the code's patterns.
 */
class ProtocolDocTest {
    /** Surefire runs in the module's directory. */
    private static final Path DOC = Path.of("..", "docs", "protocol.md");
    /** A table row's first cell: {@code | `NAME` | ...}. */
    private static final Pattern FIRST_CELL = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

    private static List<String> lines;

    @BeforeAll
    static void readDoc() throws IOException {
        lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    }

    @Test
    void theErrorCodeTableListsEveryErrorCodeAndNothingElse() {
        assertThat(table("code").keySet())
                .containsExactlyElementsOf(
                        Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void theStarredErrorCodesAreTheAlwaysFatalOnes() {
        Map<String, List<String>> codes = table("code");
        List<String> starred = codes.entrySet().stream()
                .filter(row -> row.getValue().get(0).equals("★"))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(starred)
                .containsExactlyElementsOf(Arrays.stream(ErrorCode.values())
                        .filter(ErrorCode::alwaysFatal)
                        .map(Enum::name)
                        .toList());
    }

    @Test
    void theOpTableListsEveryRequestType() {
        assertThat(table("op").keySet()).containsExactlyInAnyOrderElementsOf(subtypeNames(Request.class));
    }

    @Test
    void theServerParsesEveryOpOfTheTable() {
        FrameCodec codec = new FrameCodec();
        for (String op : table("op").keySet()) {
            FrameException refused = catchThrowableOfType(() -> decode(codec, op), FrameException.class);
            assertThat(refused == null ? null : refused.code()).as(op).isNotEqualTo(ErrorCode.UNKNOWN_OP);
        }
        assertThat(catchThrowableOfType(() -> decode(codec, "NOT_AN_OP"), FrameException.class)
                        .code())
                .isEqualTo(ErrorCode.UNKNOWN_OP);
    }

    @Test
    void theFrameTypeTableListsEveryServerFrameType() {
        assertThat(table("type").keySet()).containsExactlyInAnyOrderElementsOf(subtypeNames(ServerFrame.class));
    }

    @Test
    void theNameRulesAreTheCodesPatterns() {
        Map<String, List<String>> names = table("what");
        assertThat(names.get("user").get(0)).isEqualTo("`^" + Names.USER.pattern() + "$`");
        assertThat(names.get("room").get(0)).isEqualTo("`^" + Names.ROOM.pattern() + "$`");
    }

    /**
     * The rows of the one table whose header's first cell is {@code header}, in the doc's order: the
     * first cell (without its backticks) → the other cells.
     */
    private static Map<String, List<String>> table(String header) {
        int start = -1;
        for (int i = 0; i < lines.size() - 1; i++) {
            if (cells(lines.get(i)).stream().findFirst().orElse("").equals(header)
                    && lines.get(i + 1).startsWith("|---")) {
                assertThat(start).as("one table headed '%s'", header).isEqualTo(-1);
                start = i + 2;
            }
        }
        assertThat(start).as("a table headed '%s' in %s", header, DOC).isNotEqualTo(-1);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> cells = cells(lines.get(i));
            Matcher name = FIRST_CELL.matcher(lines.get(i));
            String key = name.find() ? name.group(1) : cells.get(0);
            assertThat(rows.put(key, cells.subList(1, cells.size())))
                    .as("%s listed once", key)
                    .isNull();
        }
        return rows;
    }

    private static List<String> cells(String line) {
        if (!line.startsWith("|")) {
            return List.of();
        }
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static List<String> subtypeNames(Class<?> type) {
        return Arrays.stream(type.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name)
                .collect(Collectors.toList());
    }

    private static Request decode(FrameCodec codec, String op) throws FrameException {
        ByteBuf line = Unpooled.copiedBuffer("{\"op\":\"" + op + "\"}", StandardCharsets.UTF_8);
        try {
            return codec.decodeRequest(line);
        } finally {
            line.release();
        }
    }
}
