package org.tlschat.client.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

/** Guessing passwords of a password-mode server (with --password-user): no more than a few, and no hint. */
final class PasswordAttacks {
    private PasswordAttacks() {}

    /** Wrong passwords on one connection: ERR AUTH_FAILED, fatal at the limit, then the close. */
    static Result wrongPasswords(AuditTarget t) throws Exception {
        String skip = passwordSkip(t);
        if (skip != null) {
            return Result.skip(skip);
        }
        try (Probe probe = t.connect(null)) {
            probe.read();
            List<String> answers = new ArrayList<>();
            ServerFrame.Err last = null;
            for (int i = 1; i <= Limits.MAX_AUTH_FAILURES; i++) {
                probe.send(new Request.Auth("a" + i, t.password().user(), "wrong-" + t.name("password")));
                last = probe.awaitErr(ErrorCode.AUTH_FAILED);
                answers.add(last == null ? "none" : Probe.describe(last));
            }
            boolean closed = probe.closedWithin(Duration.ofSeconds(5));
            return Result.passIf(
                    last != null && last.fatal() && closed,
                    String.join(", ", answers) + (closed ? ", closed" : ", still open"));
        }
    }

    /** An unknown user and a known user's wrong password get the same answer. */
    static Result unknownUser(AuditTarget t) throws Exception {
        String skip = passwordSkip(t);
        if (skip != null) {
            return Result.skip(skip);
        }
        String wrongPassword = authFailure(t, t.password().user());
        String unknownUser = authFailure(t, t.name("nobody"));
        return Result.passIf(
                wrongPassword != null && wrongPassword.equals(unknownUser),
                wrongPassword != null && wrongPassword.equals(unknownUser)
                        ? "both: \"" + wrongPassword + "\""
                        : "\"" + wrongPassword + "\" vs \"" + unknownUser + "\"");
    }

    private static String authFailure(AuditTarget t, String user) throws IOException {
        try (Probe probe = t.connect(null)) {
            probe.read();
            probe.send(new Request.Auth("a", user, "wrong-" + t.name("password")));
            ServerFrame.Err err = probe.awaitErr(ErrorCode.AUTH_FAILED);
            return err == null ? null : err.message();
        }
    }

    private static String passwordSkip(AuditTarget t) throws IOException {
        if (t.password() == null) {
            return "no --password-user given";
        }
        return t.passwordMode() ? null : "the server is in mtls mode";
    }
}
