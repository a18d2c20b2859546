package org.tlschat.client.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code connect} scenario: {@code connections} loops, each opening a new mutual-TLS
 * connection, counting it when WELCOME arrives (and its time since connect as latency), closing
 * it and starting the next, until the duration is over.
 */
final class ConnectRun {
    private final BenchSettings settings;
    private final BenchStats stats;
    private final Progress progress;
    private final BenchNetwork network;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean over;

    ConnectRun(BenchSettings settings, BenchStats stats, Progress progress, BenchNetwork network) {
        this.settings = settings;
        this.stats = stats;
        this.progress = progress;
        this.network = network;
    }

    BenchResult run() {
        double started = progress.seconds();
        for (int i = 0; i < settings.connections(); i++) {
            running.incrementAndGet();
            handshake();
        }
        progress.during(settings.duration());
        over = true;
        double seconds = progress.seconds() - started;
        progress.until(() -> running.get() == 0, BenchSettings.GRACE);
        long handshakes = stats.handshakes.sum();
        return new BenchResult(
                "connect",
                settings.servers().stream().map(Object::toString).toList(),
                settings.connections(),
                seconds,
                0,
                0,
                0,
                null,
                null,
                null,
                handshakes,
                handshakes / seconds,
                BenchResult.Latency.of(stats.total()),
                null,
                stats.errors());
    }

    private void handshake() {
        if (over) {
            running.decrementAndGet();
            return;
        }
        long start = BenchClock.now();
        network.connect(next.getAndIncrement()).whenComplete((connection, failure) -> {
            if (connection != null) {
                if (!over) {
                    stats.handshakes.increment();
                    stats.latency(BenchClock.now() - start);
                }
                connection.close();
            }
            handshake();
        });
    }
}
