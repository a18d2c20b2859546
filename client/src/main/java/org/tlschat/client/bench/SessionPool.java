package org.tlschat.client.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** Opens many sessions with a bounded number of handshakes in flight; closes them all at the end. */
final class SessionPool implements AutoCloseable {
    /** Handshakes in flight while opening: enough to keep a server busy, few enough not to time out. */
    static final int OPENING_CONCURRENCY = 128;

    private final BenchNetwork network;
    private final List<BenchConnection> open = new ArrayList<>();

    SessionPool(BenchNetwork network) {
        this.network = network;
    }

    /** Opens connections {@code first .. first+count-1}; those that fail are counted, not returned. */
    List<BenchConnection> open(int first, int count, Progress progress) {
        Semaphore slots = new Semaphore(OPENING_CONCURRENCY);
        List<CompletableFuture<BenchConnection>> opening = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            slots.acquireUninterruptibly();
            opening.add(network.connect(i).whenComplete((c, failure) -> slots.release()));
        }
        progress.until(() -> opening.stream().allMatch(CompletableFuture::isDone), BenchSettings.GRACE.multipliedBy(2));
        List<BenchConnection> opened = new ArrayList<>(count);
        for (CompletableFuture<BenchConnection> f : opening) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                opened.add(f.join());
            }
        }
        synchronized (open) {
            open.addAll(opened);
        }
        return opened;
    }

    @Override
    public void close() {
        synchronized (open) {
            open.forEach(BenchConnection::close);
            open.clear();
        }
    }
}
