package org.tlschat.benchmarks;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.server.hub.ChatException;
import org.tlschat.server.hub.Hub;
import org.tlschat.server.hub.HubMetrics;
import org.tlschat.server.hub.Session;

/**
 * Hub routing without sockets or TLS: one room SEND fanned out to N sessions on
 * {@link EmbeddedChannel}s (encode once, a retained duplicate per recipient, the channel write).
 * Each invocation also drains the recipients' outbound queues, as a socket would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HubFanoutBenchmark {
    private static final String ROOM = "#bench";

    @Param({"10", "100", "1000"})
    int recipients;

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private Hub hub;
    private Session sender;

    @Setup
    public void setUp() {
        hub = new Hub("n1", new FrameCodec(), PooledByteBufAllocator.DEFAULT, new NoMetrics());
        sender = open("sender");
        for (int i = 0; i < recipients; i++) {
            open("user" + i);
        }
        channels.forEach(EmbeddedChannel::releaseOutbound); // the PRESENCE frames of the joins
    }

    private Session open(String user) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        Session session = hub.open(user, channel, null);
        hub.join(session, ROOM);
        return session;
    }

    @Benchmark
    public void roomSend() throws ChatException {
        hub.send(sender, ROOM, FrameCodecBenchmark.TEXT);
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).releaseOutbound();
        }
    }

    @TearDown
    public void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** Metrics off: the benchmark measures routing, not the Prometheus counters. */
    private static final class NoMetrics implements HubMetrics {
        @Override
        public void sessionOpened() {}

        @Override
        public void sessionClosed() {}

        @Override
        public void messageIn() {}

        @Override
        public void messagesOut(int deliveries) {}
    }
}
