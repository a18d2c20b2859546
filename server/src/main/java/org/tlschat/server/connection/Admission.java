package org.tlschat.server.connection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.admin.ServerMetrics;

/**
 * Which new TCP connections the server takes on: at most {@link Quotas#connectionsPerAddress} open
 * connections per source IP address, and at most {@link Quotas#unauthenticated} connections without
 * a session yet (in total, and {@link Quotas#unauthenticatedPerAddress} per address). A refused
 * connection is closed at once, before TLS, and counted by limit; the log says so at most every
 * {@link #LOG_EVERY_NANOS}. Shared by every event loop: counts live in a concurrent map.
 */
final class Admission {
    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    private static final AttributeKey<Ticket> KEY = AttributeKey.valueOf(Admission.class, "ticket");
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    static final String PER_ADDRESS = "connections_per_address";
    static final String UNAUTHENTICATED = "unauthenticated";
    static final String UNAUTHENTICATED_PER_ADDRESS = "unauthenticated_per_address";

    private final Quotas quotas;
    private final ServerMetrics metrics;
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Counts> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong refusedSinceLog = new AtomicLong();

    /** Open and not-yet-authenticated connections of one address; changed only inside the map's compute. */
    private static final class Counts {
        int open;
        int unauthenticated;
    }

    /** What one admitted connection holds until it closes. */
    private record Ticket(InetAddress address, AtomicBoolean unauthenticated) {}

    Admission(Quotas quotas, ServerMetrics metrics) {
        this.quotas = quotas;
        this.metrics = metrics;
    }

    /**
     * Counts a new connection and returns true, or returns false (counted in metrics, maybe logged)
     * when one of the limits refuses it; the caller then closes it. An admitted connection is
     * released when it closes.
     */
    boolean admit(Channel ch) {
        InetAddress address = addressOf(ch.remoteAddress());
        String[] refused = new String[1];
        byAddress.compute(address, (a, counts) -> {
            Counts c = counts == null ? new Counts() : counts;
            refused[0] = refusal(c);
            if (refused[0] == null) {
                c.open++;
                c.unauthenticated++;
            }
            return c.open == 0 ? null : c;
        });
        if (refused[0] != null) {
            refuse(address, refused[0]);
            return false;
        }
        Ticket ticket = new Ticket(address, new AtomicBoolean(true));
        ch.attr(KEY).set(ticket);
        ch.closeFuture().addListener(f -> release(ticket));
        return true;
    }

    /** Which limit refuses one more connection from an address with {@code c}; null if none. */
    private String refusal(Counts c) {
        if (quotas.connectionsPerAddress() > 0 && c.open >= quotas.connectionsPerAddress()) {
            return PER_ADDRESS;
        }
        if (quotas.unauthenticatedPerAddress() > 0 && c.unauthenticated >= quotas.unauthenticatedPerAddress()) {
            return UNAUTHENTICATED_PER_ADDRESS;
        }
        if (unauthenticated.incrementAndGet() > quotas.unauthenticated() && quotas.unauthenticated() > 0) {
            unauthenticated.decrementAndGet();
            return UNAUTHENTICATED;
        }
        return null;
    }

    /** The connection has a session now: it no longer counts as unauthenticated. */
    void authenticated(Channel ch) {
        Ticket ticket = ch.attr(KEY).get();
        if (ticket != null && ticket.unauthenticated().compareAndSet(true, false)) {
            unauthenticated.decrementAndGet();
            byAddress.computeIfPresent(ticket.address(), (a, c) -> {
                c.unauthenticated--;
                return c;
            });
        }
    }

    private void release(Ticket ticket) {
        boolean wasUnauthenticated = ticket.unauthenticated().getAndSet(false);
        if (wasUnauthenticated) {
            unauthenticated.decrementAndGet();
        }
        byAddress.computeIfPresent(ticket.address(), (a, c) -> {
            c.open--;
            if (wasUnauthenticated) {
                c.unauthenticated--;
            }
            return c.open == 0 ? null : c;
        });
    }

    private void refuse(InetAddress address, String limit) {
        metrics.connectionRefused(limit);
        long refused = refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-refused);
            log.warn(
                    "refused {} connection(s) in the last {} s, the latest from {}: {} limit",
                    refused,
                    LOG_EVERY_NANOS / 1_000_000_000L,
                    address.getHostAddress(),
                    limit.replace('_', ' '));
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress(); // not an IP socket (tests, domain sockets): one bucket
    }
}
