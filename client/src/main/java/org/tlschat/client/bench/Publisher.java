package org.tlschat.client.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends SENDs on one connection, on its event loop, either keeping {@code window} unanswered
 * SENDs in flight (as fast as the server accepts) or at a fixed rate. At a fixed rate each text
 * carries the time the message was due, not when it left, so a stalled sender shows as latency.
 */
final class Publisher {
    /** How often a fixed-rate publisher wakes up to send what is due. */
    private static final long TICK_MICROS = 1_000;

    private final Channel channel;
    private final BenchStats stats;
    private final WireLines.SendLine line;
    private final int window;
    private final double ratePerSecond;
    private final int recipients;
    private int inFlight;
    private long due;
    private long started;
    private volatile boolean running;
    private volatile int unanswered;
    private volatile long oks;
    private ScheduledFuture<?> ticker;

    /**
     * @param recipients sessions each message of this publisher reaches: the run's expected
     *                   deliveries are its OKs times this
     */
    Publisher(
            BenchConnection connection,
            BenchStats stats,
            String to,
            int textBytes,
            int window,
            double ratePerSecond,
            int recipients) {
        this.channel = connection.channel();
        this.stats = stats;
        this.line = new WireLines.SendLine(to, textBytes);
        this.window = window;
        this.ratePerSecond = ratePerSecond;
        this.recipients = recipients;
        connection.publishWith(this);
    }

    int recipients() {
        return recipients;
    }

    void start() {
        EventLoop loop = channel.eventLoop();
        loop.execute(() -> {
            running = true;
            started = BenchClock.now();
            due = 0; // a new run (after a warm-up) schedules from now: earlier lateness is forgotten
            oks = 0;
            if (ratePerSecond > 0) {
                ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
            } else {
                while (inFlight < window) {
                    send(BenchClock.now());
                }
                channel.flush();
            }
        });
    }

    /** Stops sending; replies still in flight keep arriving. */
    void stop() {
        channel.eventLoop().execute(() -> {
            running = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
        });
    }

    /** SENDs not answered yet (OK or ERR). */
    int unanswered() {
        return unanswered;
    }

    /** SENDs answered with OK. */
    long oks() {
        return oks;
    }

    /** An OK or non-fatal ERR arrived for one SEND; called on the event loop. */
    void replied(boolean ok) {
        if (ok) {
            oks++;
        }
        inFlight--;
        unanswered = inFlight;
        if (running && ratePerSecond == 0) {
            send(BenchClock.now()); // flushed at the end of the read batch
        }
    }

    private void tick() {
        long now = BenchClock.now();
        long target = (long) ((now - started) * ratePerSecond / 1e9);
        boolean wrote = false;
        while (due < target && inFlight < window && channel.isActive()) {
            send(started + (long) (due * 1e9 / ratePerSecond));
            due++;
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void send(long sentAt) {
        if (!channel.isActive()) {
            return;
        }
        inFlight++;
        unanswered = inFlight;
        stats.sent.increment();
        channel.write(line.encode(channel.alloc(), sentAt), channel.voidPromise());
    }
}
