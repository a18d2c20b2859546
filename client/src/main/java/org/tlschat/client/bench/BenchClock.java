package org.tlschat.client.bench;

/** Nanoseconds since this process's bench clock started: small, positive, and comparable in one JVM. */
final class BenchClock {
    private static final long ORIGIN = System.nanoTime();

    private BenchClock() {}

    static long now() {
        return System.nanoTime() - ORIGIN;
    }
}
