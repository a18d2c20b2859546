package org.tlschat.server.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.server.hub.ChatException;

/**
 * Messages and presence changes sent to peers and not yet acknowledged by all of them. A peer
 * that leaves the view counts as done (its sessions are gone with it); a peer that stays silent
 * past the deadline fails the delivery, so the sender hears about it instead of an OK that means
 * nothing.
 */
final class PendingAcks {
    private record Pending(Set<String> waitingFor, CompletableFuture<Void> done, long deadlineNanos) {}

    private final AtomicLong nextSeq = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final long timeoutNanos;

    PendingAcks(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Registers a delivery to {@code nodes}; returns its sequence number. */
    long open(List<String> nodes, CompletableFuture<Void> done) {
        long seq = nextSeq.incrementAndGet();
        if (nodes.isEmpty()) {
            done.complete(null);
            return seq;
        }
        Set<String> waitingFor = ConcurrentHashMap.newKeySet();
        waitingFor.addAll(nodes);
        pending.put(seq, new Pending(waitingFor, done, System.nanoTime() + timeoutNanos));
        return seq;
    }

    void acked(long seq, String node) {
        Pending p = pending.get(seq);
        if (p != null && p.waitingFor().remove(node) && p.waitingFor().isEmpty()) {
            complete(seq, p);
        }
    }

    /** Peers that had left this node's view when {@code seq} was sent: they owe nothing for it. */
    void departed(long seq, Set<String> nodes) {
        Pending p = pending.get(seq);
        if (p != null
                && !nodes.isEmpty()
                && p.waitingFor().removeAll(nodes)
                && p.waitingFor().isEmpty()) {
            complete(seq, p);
        }
    }

    /** Peers no longer in the view: nothing more will come from them, and nothing is owed. */
    void gone(Set<String> nodes) {
        pending.forEach((seq, p) -> {
            p.waitingFor().removeAll(nodes);
            if (p.waitingFor().isEmpty()) {
                complete(seq, p);
            }
        });
    }

    /** Fails the deliveries past their deadline; called periodically. */
    void expire() {
        long now = System.nanoTime();
        pending.forEach((seq, p) -> {
            if (now - p.deadlineNanos() > 0 && pending.remove(seq, p)) {
                p.done()
                        .completeExceptionally(new ChatException(
                                ErrorCode.INTERNAL,
                                "node(s) " + new HashSet<>(p.waitingFor()) + " did not confirm the message"));
            }
        });
    }

    int size() {
        return pending.size();
    }

    private void complete(long seq, Pending p) {
        if (pending.remove(seq, p)) {
            p.done().complete(null);
        }
    }
}
