package org.tlschat.server.connection;

/**
 * A token bucket: {@code rate} messages per second on average, {@code burst} at once. Used from
 * one event loop only, so it needs no synchronisation.
 */
final class RateLimiter {
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long last;

    private RateLimiter(int rate, int burst, long now) {
        this.tokensPerNano = rate / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** A limiter, or null when {@code rate} is 0 (limiting off). */
    static RateLimiter perSecond(int rate, int burst) {
        return rate <= 0 ? null : new RateLimiter(rate, Math.max(burst, 1), System.nanoTime());
    }

    boolean tryAcquire(long now) {
        tokens = Math.min(burst, tokens + (now - last) * tokensPerNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
