package org.tlschat.client.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/** A progress line on stderr once a second while a phase runs; it also keeps the run's clock. */
final class Progress {
    private final BenchStats stats;
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long lastAt = started;
    private long lastDelivered;
    private long lastPublished;
    private long lastHandshakes;

    Progress(BenchStats stats, PrintWriter err) {
        this.stats = stats;
        this.err = err;
    }

    /** Seconds since the run started. */
    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Prints a line each second for {@code phase}, until it is over. */
    void during(Duration phase) {
        long end = System.nanoTime() + phase.toNanos();
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            sleepMillis(Math.min(1000, Math.max(1, (end - now) / 1_000_000)));
            line();
        }
    }

    /** Waits (printing each second) until {@code done} or for at most {@code limit}. */
    void until(BooleanSupplier done, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        long nextLine = System.nanoTime() + 1_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            sleepMillis(10);
            if (System.nanoTime() >= nextLine) {
                line();
                nextLine += 1_000_000_000L;
            }
        }
    }

    private void line() {
        long now = System.nanoTime();
        double dt = (now - lastAt) / 1e9;
        long delivered = stats.delivered.sum();
        long published = stats.published.sum();
        long handshakes = stats.handshakes.sum();
        Histogram recent = stats.interval();
        if (err != null) {
            err.printf(
                    "[%5.1fs] sessions %,d  published %,.0f/s  delivered %,.0f/s  handshakes %,.0f/s  p99 %s  errors %,d%n",
                    seconds(),
                    stats.openSessions.sum(),
                    (published - lastPublished) / dt,
                    (delivered - lastDelivered) / dt,
                    (handshakes - lastHandshakes) / dt,
                    recent.getTotalCount() == 0
                            ? "-"
                            : String.format("%,.0f µs", recent.getValueAtPercentile(99) / 1e3),
                    stats.errorCount());
            err.flush();
        }
        lastAt = now;
        lastDelivered = delivered;
        lastPublished = published;
        lastHandshakes = handshakes;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
