package org.tlschat.client.bench;

import java.util.List;

/**
 * The {@code idle} scenario: opens {@code connections} sessions that only PING, holds them for the
 * duration, and reads the server's memory gauges from its admin port before and after.
 */
final class IdleRun {
    private final BenchSettings settings;
    private final BenchStats stats;
    private final Progress progress;
    private final SessionPool pool;

    IdleRun(BenchSettings settings, BenchStats stats, Progress progress, SessionPool pool) {
        this.settings = settings;
        this.stats = stats;
        this.progress = progress;
        this.pool = pool;
    }

    BenchResult run() {
        ServerMemory before = settings.admin() != null ? ServerMemory.read(settings.admin()) : null;
        double started = progress.seconds();
        List<BenchConnection> opened = pool.open(0, settings.connections(), progress);
        double seconds = progress.seconds() - started;
        progress.during(settings.duration());
        BenchResult.Memory memory = null;
        if (before != null) {
            ServerMemory after = ServerMemory.read(settings.admin());
            int n = Math.max(1, opened.size());
            memory = new BenchResult.Memory(
                    (after.heapUsedBytes() - before.heapUsedBytes()) / n,
                    (after.residentBytes() - before.residentBytes()) / n,
                    after.sessions(),
                    after.heapUsedBytes(),
                    after.residentBytes());
        }
        return new BenchResult(
                "idle",
                settings.servers().stream().map(Object::toString).toList(),
                opened.size(),
                seconds,
                0,
                0,
                0,
                null,
                null,
                null,
                (long) opened.size(),
                opened.size() / seconds,
                BenchResult.Latency.of(stats.total()),
                memory,
                stats.errors());
    }
}
