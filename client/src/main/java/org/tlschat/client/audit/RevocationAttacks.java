package org.tlschat.client.audit;

import static org.tlschat.client.audit.Attacks.seconds;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
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
