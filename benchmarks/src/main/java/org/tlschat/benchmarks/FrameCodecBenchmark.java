package org.tlschat.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

/** The JSON-lines codec on the message path: decoding a 128-byte SEND, encoding its MSG. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FrameCodecBenchmark {
    static final String TEXT = "x".repeat(128);

    private final FrameCodec codec = new FrameCodec();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final ServerFrame.Msg msg =
            new ServerFrame.Msg("n1-000000000042", "alice", "#bench", TEXT, "2025-01-01T00:00:00.000Z");
    private final ByteBuf sendLine = Unpooled.copiedBuffer(
            "{\"op\":\"SEND\",\"to\":\"#bench\",\"text\":\"" + TEXT + "\"}", StandardCharsets.UTF_8);

    @Benchmark
    public Request decodeSend() throws FrameException {
        return codec.decodeRequest(sendLine);
    }

    @Benchmark
    public int encodeMsg() {
        ByteBuf encoded = codec.encode(msg, alloc);
        int size = encoded.readableBytes();
        encoded.release();
        return size;
    }
}
