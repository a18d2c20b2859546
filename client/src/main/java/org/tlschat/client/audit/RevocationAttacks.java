package org.tlschat.client.audit;

import static org.tlschat.client.audit.Attacks.seconds;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.client.audit.AuditTarget.Credentials;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.ServerFrame;

/**
 * A certificate revoked in the PKI directory: refused in new handshakes, and its live sessions
 * ended, within {@link #REVOCATION_DEADLINE}. Each attack revokes a throwaway user of its own.
 */
final class RevocationAttacks {
    /** PROTOCOL.md §6: a revoked certificate's session ends within this. */
    static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(5);
    /** PROTOCOL.md §6: the most a closing connection waits for its last frame to be read. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** A receive buffer so small that the server's answers pile up on its side at once. */
    private static final int STALLED_RECEIVE_BUFFER = 4096;

    /** A check of a throwaway user, issued by the CA and not yet revoked. */
    @FunctionalInterface
    private interface UserCheck {
        Result run(AuditTarget t, String name, Credentials credentials) throws Exception;
    }

    private RevocationAttacks() {}

    /** New connections with the certificate are refused once it is revoked. */
    static Result refused(AuditTarget t) throws Exception {
        return withThrowawayUser(t, "revoked", RevocationAttacks::refusedOnceRevoked);
    }

    /** The session of the certificate ends with ERR REVOKED once it is revoked. */
    static Result ended(AuditTarget t) throws Exception {
        return withThrowawayUser(t, "live", RevocationAttacks::endedOnceRevoked);
    }

    /**
     * A session that stops reading (its answers fill the server's buffers, so ERR REVOKED cannot be
     * written) is still closed once revoked, and nothing it sends after that reaches anyone.
     */
    static Result stopsReading(AuditTarget t) throws Exception {
        return withThrowawayUser(t, "stalled", RevocationAttacks::closedThoughNotReading);
    }

    private static Result closedThoughNotReading(AuditTarget t, String name, Credentials credentials) throws Exception {
        try (Probe witness = t.session("witness");
                Probe stalled =
                        Probe.open(t.tls(credentials), t.server(), List.of("TLSv1.3"), STALLED_RECEIVE_BUFFER)) {
            if (witness == null) {
                return Result.fail("no session to watch from");
            }
            String to = t.name("witness");
            // LISTs (answers it never reads) and one message to the witness, stamped with the time it was written
            CompletableFuture<Long> closed = stalled.floodWithoutReading(n -> ("{\"op\":\"LIST\"}\n").repeat(200)
                    + "{\"op\":\"SEND\",\"to\":\"" + to + "\",\"text\":\"" + System.nanoTime() + "\"}\n");
            try {
                closed.get(2, TimeUnit.SECONDS);
                return Result.fail("closed before the revocation");
            } catch (TimeoutException stillFlooding) {
                // its answers are piling up on the server now
            }
            t.ca().revoke(name);
            long start = System.nanoTime();
            Duration limit = REVOCATION_DEADLINE.plus(CLOSE_GRACE).plusSeconds(1);
            long gone;
            try {
                gone = closed.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return Result.fail("still connected " + seconds(limit) + " after the revocation");
            }
            Duration waited = Duration.ofNanos(gone - start);
            long late = witness.drain(Duration.ofSeconds(1)).stream()
                    .filter(f -> f instanceof ServerFrame.Msg msg && stampedAfter(msg, gone))
                    .count();
            if (late > 0) {
                return Result.fail(late + " messages sent after the close were delivered");
            }
            return Result.passIf(
                    waited.compareTo(REVOCATION_DEADLINE.plus(CLOSE_GRACE)) <= 0,
                    "closed " + seconds(waited) + " after the revocation, nothing delivered after");
        }
    }

    private static boolean stampedAfter(ServerFrame.Msg msg, long nanos) {
        try {
            return Long.parseLong(msg.text()) > nanos;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Result refusedOnceRevoked(AuditTarget t, String name, Credentials credentials) throws Exception {
        t.ca().revoke(name);
        long start = System.nanoTime();
        Duration waited;
        String answer;
        do {
            try (Probe probe = t.connect(credentials)) {
                answer = probe.firstAnswer();
            } catch (SSLException e) {
                answer = Probe.refused(e);
            }
            waited = Duration.ofNanos(System.nanoTime() - start);
        } while (!answer.startsWith("refused") && waited.compareTo(REVOCATION_DEADLINE) < 0 && pause());
        return Result.passIf(answer.startsWith("refused"), answer + " after " + seconds(waited));
    }

    private static Result endedOnceRevoked(AuditTarget t, String name, Credentials credentials) throws Exception {
        try (Probe probe = t.connect(credentials)) {
            String first = probe.firstAnswer();
            if (!first.equals("WELCOME")) {
                return Result.fail("not welcomed before the revocation: " + first);
            }
            t.ca().revoke(name);
            long start = System.nanoTime();
            ServerFrame.Err err = probe.awaitErr(ErrorCode.REVOKED);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (err == null) {
                return Result.fail("no ERR REVOKED within " + seconds(waited));
            }
            return Result.passIf(
                    err.fatal() && waited.compareTo(REVOCATION_DEADLINE) <= 0,
                    "ERR REVOKED" + (err.fatal() ? " (fatal)" : "") + " after " + seconds(waited));
        }
    }

    /** Issues the user {@code label}, runs {@code check}, then deletes the user's files; skips if it cannot revoke. */
    private static Result withThrowawayUser(AuditTarget t, String label, UserCheck check) throws Exception {
        String readOnly = revocationImpossible(t);
        if (readOnly != null) {
            return Result.skip(readOnly);
        }
        String name = t.name(label);
        t.ca().issueUser(name, 1);
        try {
            return check.run(
                    t,
                    name,
                    new Credentials(
                            t.ca().layout().userCert(name), t.ca().layout().userKey(name)));
        } finally {
            deleteUserFiles(t, name);
        }
    }

    /** Why a throwaway user cannot be revoked in the PKI directory, or null when it can. */
    private static String revocationImpossible(AuditTarget t) throws IOException {
        if (t.passwordMode()) {
            return "password mode: sessions carry no certificate";
        }
        if (!Files.isWritable(t.ca().layout().crl())
                || !Files.isWritable(t.ca().layout().users())) {
            return t.ca().layout().dir() + " is read-only: cannot revoke a throwaway user";
        }
        return null;
    }

    /** The revoked throwaway stays in the index and the CRL; its key and certificate go. */
    private static void deleteUserFiles(AuditTarget t, String name) throws IOException {
        Files.deleteIfExists(t.ca().layout().userCert(name));
        Files.deleteIfExists(t.ca().layout().userKey(name));
    }

    /** Waits a quarter second before the next try; false when interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(250);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
