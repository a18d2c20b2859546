package org.tlschat.client.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The message scenarios: {@code fanout} (P publishers and S subscribers in one room) and
 * {@code direct} (N pairs sending to each other's user). Publishing lasts the run's duration;
 * afterwards the run waits until every SEND is answered and every OKed message delivered.
 */
final class PublishRun {
    private final BenchSettings settings;
    private final BenchStats stats;
    private final Progress progress;
    private final SessionPool pool;

    PublishRun(BenchSettings settings, BenchStats stats, Progress progress, SessionPool pool) {
        this.settings = settings;
        this.stats = stats;
        this.progress = progress;
        this.pool = pool;
    }

    BenchResult fanout() {
        List<BenchConnection> subscribers = pool.open(0, settings.subscribers(), progress);
        List<BenchConnection> publishers = pool.open(settings.subscribers(), settings.publishers(), progress);
        List<BenchConnection> everyone = new ArrayList<>(subscribers);
        everyone.addAll(publishers);
        joinAll(everyone);
        int recipients = everyone.size() - 1;
        double rate = (double) settings.rate() / Math.max(1, publishers.size());
        List<Publisher> senders = publishers.stream()
                .map(c ->
                        new Publisher(c, stats, settings.room(), settings.size(), settings.window(), rate, recipients))
                .toList();
        return publish(senders, everyone.size());
    }

    BenchResult direct() {
        List<BenchConnection> sessions = pool.open(0, 2 * settings.pairs(), progress);
        Map<String, Long> sessionsByUser =
                sessions.stream().collect(Collectors.groupingBy(BenchConnection::user, Collectors.counting()));
        double rate = (double) settings.rate() / Math.max(1, sessions.size());
        List<Publisher> senders = new ArrayList<>();
        for (int i = 0; i + 1 < sessions.size(); i += 2) {
            BenchConnection a = sessions.get(i);
            BenchConnection b = sessions.get(i + 1);
            senders.add(sender(a, b.user(), sessionsByUser, rate));
            senders.add(sender(b, a.user(), sessionsByUser, rate));
        }
        return publish(senders, sessions.size());
    }

    /** A direct message reaches every session of the recipient user, so that many deliveries are expected. */
    private Publisher sender(BenchConnection from, String to, Map<String, Long> sessionsByUser, double rate) {
        return new Publisher(
                from,
                stats,
                to,
                settings.size(),
                settings.window(),
                rate,
                sessionsByUser.getOrDefault(to, 0L).intValue());
    }

    private void joinAll(List<BenchConnection> sessions) {
        CompletableFuture<?>[] joins =
                sessions.stream().map(c -> c.join(settings.room())).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(joins).get(BenchSettings.GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot join " + settings.room() + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.toString()),
                    e);
        }
    }

    private BenchResult publish(List<Publisher> senders, int sessions) {
        if (senders.isEmpty()) {
            throw new IllegalStateException("no publishing session could be opened (errors: " + stats.errors() + ")");
        }
        Function<List<Publisher>, Long> expected =
                list -> list.stream().mapToLong(p -> p.oks() * p.recipients()).sum();
        if (!settings.warmup().isZero()) {
            runFor(settings.warmup(), senders, expected);
            stats.resetMessages();
        }
        double started = progress.seconds();
        runFor(settings.duration(), senders, expected);
        double seconds = progress.seconds() - started;
        long published = stats.published.sum();
        long delivered = stats.delivered.sum();
        return new BenchResult(
                settings.scenario().name().toLowerCase(),
                servers(),
                sessions,
                seconds,
                stats.sent.sum(),
                published,
                delivered,
                expected.apply(senders),
                published / seconds,
                delivered / seconds,
                null,
                null,
                BenchResult.Latency.of(stats.total()),
                null,
                stats.errors());
    }

    /** Publishes for {@code duration}, then waits until every SEND is answered and every OKed message delivered. */
    private void runFor(Duration duration, List<Publisher> senders, Function<List<Publisher>, Long> expected) {
        senders.forEach(Publisher::start);
        progress.during(duration);
        senders.forEach(Publisher::stop);
        progress.until(
                () -> senders.stream().allMatch(p -> p.unanswered() == 0)
                        && stats.delivered.sum() >= expected.apply(senders),
                BenchSettings.GRACE);
    }

    private List<String> servers() {
        return settings.servers().stream().map(Object::toString).toList();
    }
}
