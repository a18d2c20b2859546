package org.tlschat.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.HostPort;

/**
 * One failover of a {@link ChatClient}, on its event loop: after the session's connection to one
 * server was lost, attempts the servers of the list round robin from the one after it, with
 * {@link Backoff#DEFAULT} waits, until one succeeds, one refuses this client, or
 * {@link ClientOptions#reconnectFor()} has passed.
 */
final class Failover {
    /** Logs as the client it serves. */
    private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

    /** What a failover needs from its client; every call on the event loop. */
    interface Session {
        /** Dials {@code address}; completed once it is the session's connection. */
        CompletableFuture<Connection> attempt(HostPort address);

        /** True while {@code failover} is the session's: it was not ended (by quit or close) meanwhile. */
        boolean isCurrent(Failover failover);

        /** The failover succeeded: the session is connected to {@code address}. */
        void reconnected(HostPort address);

        /** The failover gave up: the session ends with {@code reason}. */
        void end(String reason);
    }

    private final ClientOptions options;
    private final Dialer dialer;
    private final Session session;
    private final long deadline;
    private int attempts;
    private int next;
    private String lastFailure;
    private ScheduledFuture<?> timer;

    Failover(ClientOptions options, Dialer dialer, Session session, HostPort lost, String reason) {
        this.options = options;
        this.dialer = dialer;
        this.session = session;
        this.deadline = System.nanoTime() + options.reconnectFor().toNanos();
        this.next = options.servers().indexOf(lost) + 1;
        this.lastFailure = reason;
    }

    /** Waits, then attempts the next server; gives up when the wait would pass the deadline. */
    void scheduleNext() {
        Duration wait = Backoff.DEFAULT.delay(attempts);
        if (System.nanoTime() + wait.toNanos() > deadline) {
            session.end("no server answered for " + options.reconnectFor().toSeconds() + " s (" + lastFailure + ")");
            return;
        }
        timer = dialer.loop().schedule(this::tryNext, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void tryNext() {
        HostPort address = options.servers().get(next++ % options.servers().size());
        attempts++;
        session.attempt(address).whenComplete((connection, failure) -> dialer.onLoop(() -> finished(address, failure)));
    }

    private void finished(HostPort address, Throwable failure) {
        if (!session.isCurrent(this)) {
            return; // ended meanwhile (quit or close): the client has closed the connection
        }
        if (failure == null) {
            session.reconnected(address);
            return;
        }
        ConnectFailure why = Failures.connectFailure(address, failure);
        LOG.debug("reconnect attempt {} failed: {}", attempts, why.getMessage());
        if (why.kind() == ConnectFailure.Kind.REFUSED) {
            session.end(why.getMessage());
        } else {
            lastFailure = why.getMessage();
            scheduleNext();
        }
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
