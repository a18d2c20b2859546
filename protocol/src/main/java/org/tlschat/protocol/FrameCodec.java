package org.tlschat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * JSON lines ↔ frames. One line is one JSON object, UTF-8; {@code encode} appends the {@code \n},
 * {@code decode} takes a line without it. Thread-safe: build one and share it.
 *
 * <p>Parsing is bounded: a document, string or field name cannot outgrow the frame, nesting is
 * shallow, numbers are short, and a duplicated key is refused (it could smuggle a second value
 * past a checker that reads the first).
 */
public final class FrameCodec {

    /** Deepest nesting accepted: no frame nests more than 3, so 16 leaves room for unknown fields. */
    private static final int MAX_NESTING_DEPTH = 16;

    /** Longest number accepted, in characters: a long has 19 digits; nothing needs more. */
    private static final int MAX_NUMBER_CHARS = 20;

    /** Longest field name accepted: every protocol field name is short. */
    private static final int MAX_FIELD_NAME_CHARS = 256;

    private final ObjectReader treeReader;
    private final ObjectReader serverFrameReader;
    private final ObjectWriter serverFrameWriter;
    private final ObjectWriter requestWriter;

    /** A codec for frames of at most {@link Limits#MAX_FRAME_BYTES}. */
    public FrameCodec() {
        this(Limits.MAX_FRAME_BYTES);
    }

    /** A codec for frames of at most {@code maxFrameBytes}: the server's configured frame limit. */
    public FrameCodec(int maxFrameBytes) {
        JsonFactory json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(maxFrameBytes)
                        .maxStringLength(maxFrameBytes)
                        .maxNameLength(MAX_FIELD_NAME_CHARS)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(
                        JsonWriteFeature
                                .COMBINE_UNICODE_SURROGATES_IN_UTF8) // an emoji as 4 raw bytes, not two escaped halves
                .build();
        ObjectMapper mapper = JsonMapper.builder(json)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, null))
                .build();
        this.treeReader = mapper.reader();
        this.serverFrameReader = mapper.readerFor(ServerFrame.class);
        this.serverFrameWriter = mapper.writerFor(ServerFrame.class);
        this.requestWriter = mapper.writerFor(Request.class);
    }

    /**
     * Reads one request line (without its {@code \n}); the buffer's indexes are left as they were.
     *
     * @throws FrameException BAD_FRAME, UNKNOWN_OP, BAD_NAME or TEXT_TOO_LONG, naming the problem
     */
    public Request decodeRequest(ByteBuf line) throws FrameException {
        try {
            return RequestParser.parse(treeReader.readTree(read(line)));
        } catch (IOException e) {
            throw invalidJson(e);
        }
    }

    /**
     * Reads one server frame line (without its {@code \n}), for clients; the buffer's indexes are
     * left as they were. Unknown fields are ignored; a field that is missing is null (or 0).
     *
     * @throws FrameException BAD_FRAME for invalid JSON or an unknown or missing {@code type}
     */
    public ServerFrame decodeServerFrame(ByteBuf line) throws FrameException {
        try {
            return serverFrameReader.readValue(read(line));
        } catch (IOException e) {
            throw invalidJson(e);
        }
    }

    /**
     * Writes a frame and its {@code \n} straight into a new buffer from {@code alloc}. The caller
     * owns the buffer; it may write {@code retainedDuplicate()}s of it to many channels.
     */
    public ByteBuf encode(ServerFrame frame, ByteBufAllocator alloc) {
        return encode(serverFrameWriter, frame, alloc);
    }

    /** Writes a request and its {@code \n} straight into a new buffer from {@code alloc}. */
    public ByteBuf encode(Request request, ByteBufAllocator alloc) {
        return encode(requestWriter, request, alloc);
    }

    private static ByteBuf encode(ObjectWriter writer, Object frame, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer();
        boolean written = false;
        try {
            writer.writeValue((OutputStream) new ByteBufOutputStream(buf), frame);
            buf.writeByte('\n');
            written = true;
            return buf;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot encode " + frame.getClass().getSimpleName(), e);
        } finally {
            if (!written) {
                buf.release();
            }
        }
    }

    /** A stream over the line that leaves its indexes alone (typed as InputStream, not DataInput). */
    private static InputStream read(ByteBuf line) {
        return new ByteBufInputStream(line.duplicate());
    }

    private static FrameException invalidJson(IOException e) {
        String reason = e instanceof JsonProcessingException jackson ? jackson.getOriginalMessage() : e.getMessage();
        return new FrameException(ErrorCode.BAD_FRAME, "invalid frame: " + reason, null);
    }
}
