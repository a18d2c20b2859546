package org.tlschat.client.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What every connection of a run counts, from any event loop thread. */
final class BenchStats {
    /** Latencies up to one minute, 3 significant digits. */
    private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    final LongAdder sent = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder handshakes = new LongAdder();
    final LongAdder openSessions = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(MAX_LATENCY_NANOS, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_NANOS, 3);

    void error(String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void latency(long nanos) {
        latency.recordValue(Math.min(Math.max(nanos, 0), MAX_LATENCY_NANOS));
    }

    Map<String, Long> errors() {
        Map<String, Long> counts = new TreeMap<>();
        errors.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The latencies since the last call (for the progress line), also added to the run's total. */
    synchronized Histogram interval() {
        Histogram recent = latency.getIntervalHistogram();
        total.add(recent);
        return recent;
    }

    /** Forgets the message counts, errors and latencies so far (after a warm-up). */
    synchronized void resetMessages() {
        sent.reset();
        published.reset();
        delivered.reset();
        errors.clear();
        latency.reset();
        total.reset();
    }

    /** Every latency of the run. */
    synchronized Histogram total() {
        interval();
        return total.copy();
    }
}
