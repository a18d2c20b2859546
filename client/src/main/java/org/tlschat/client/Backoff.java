package org.tlschat.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits between reconnect attempts: {@code initial} doubling per attempt up to {@code max},
 * each spread uniformly by ±{@code jitter} so that the clients of a node that went down do not all
 * come back at the same instant.
 */
final class Backoff {
    /** 200 ms doubling to 5 s, ±50 %. */
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.5);

    private final long initialNanos;
    private final long maxNanos;
    private final double jitter;

    Backoff(Duration initial, Duration max, double jitter) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and 0 <= jitter < 1");
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.jitter = jitter;
    }

    /** The wait before attempt {@code attempt} (0 = the first) without jitter: initial * 2^attempt, at most max. */
    Duration nominal(int attempt) {
        long nanos = initialNanos;
        for (int i = 0; i < attempt && nanos < maxNanos; i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }

    /** The wait before attempt {@code attempt}: {@link #nominal} times a random factor in [1 - jitter, 1 + jitter]. */
    Duration delay(int attempt) {
        double factor = 1 + jitter * ThreadLocalRandom.current().nextDouble(-1, 1);
        return Duration.ofNanos(Math.round(nominal(attempt).toNanos() * factor));
    }
}
