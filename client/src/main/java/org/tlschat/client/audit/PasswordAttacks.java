package org.tlschat.client.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

    /**
     * Connections guessing at once, how long, and the most wrong guesses a throttled server answers
     * meanwhile: the server's default of 5 per account and address per window (a server run with a
     * larger --auth-guesses fails this row by design).
     */
    static final int GUESSERS = 4;

    static final Duration STORM = Duration.ofSeconds(4);
    static final int MAX_ANSWERED = 5;
    static final Duration LOGIN_WITHIN = Duration.ofSeconds(1);

    /**
     * Wrong passwords for a throwaway account from {@link #GUESSERS} connections, as fast as answers
     * come, for {@link #STORM}: at most {@link #MAX_ANSWERED} are answered AUTH_FAILED (the rest are
     * refused unchecked), and the real user's right password is welcomed within {@link
     * #LOGIN_WITHIN} in the middle of it.
     */
    static Result guessing(AuditTarget t) throws Exception {
        String skip = passwordSkip(t);
        if (skip != null) {
            return Result.skip(skip);
        }
        String victim = t.name("guessed");
        long end = System.nanoTime() + STORM.toNanos();
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        ExecutorService guessers = Executors.newFixedThreadPool(GUESSERS);
        try {
            for (int i = 0; i < GUESSERS; i++) {
                guessers.execute(() -> guess(t, victim, end, answers));
            }
            CompletableFuture<Void> half = new CompletableFuture<>();
            half.completeOnTimeout(null, STORM.toMillis() / 2, TimeUnit.MILLISECONDS)
                    .join();
            String login;
            Duration took;
            try (Probe probe = t.connect(null)) {
                probe.read();
                long start = System.nanoTime();
                probe.send(
                        new Request.Auth("a", t.password().user(), t.password().password()));
                login = probe.firstAnswer();
                took = Duration.ofNanos(System.nanoTime() - start);
            }
            guessers.shutdown();
            guessers.awaitTermination(STORM.toSeconds() + Probe.READ_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            long wrong = count(answers, ErrorCode.AUTH_FAILED.name());
            long refused = answers.entrySet().stream()
                    .filter(e -> !e.getKey().equals(ErrorCode.AUTH_FAILED.name()))
                    .mapToLong(e -> e.getValue().sum())
                    .sum();
            String observed = String.format(
                    Locale.ROOT,
                    "%d wrong answered in %s (%.1f/s), %d refused %s; %s's login %s in %d ms",
                    wrong,
                    Attacks.seconds(STORM),
                    wrong * 1000.0 / STORM.toMillis(),
                    refused,
                    answers.keySet().stream()
                            .filter(k -> !k.equals(ErrorCode.AUTH_FAILED.name()))
                            .sorted()
                            .toList(),
                    t.password().user(),
                    login,
                    took.toMillis());
            return Result.passIf(
                    wrong <= MAX_ANSWERED && login.equals("WELCOME") && took.compareTo(LOGIN_WITHIN) < 0, observed);
        } finally {
            guessers.shutdownNow();
        }
    }

    private static void guess(AuditTarget t, String victim, long end, Map<String, LongAdder> answers) {
        int n = 0;
        while (System.nanoTime() < end) {
            try (Probe probe = t.connect(null)) {
                if (!(probe.read() instanceof ServerFrame.AuthRequired)) {
                    return;
                }
                while (System.nanoTime() < end) {
                    probe.send(new Request.Auth("g" + n++, victim, "wrong-" + n));
                    ServerFrame answer = probe.read();
                    if (!(answer instanceof ServerFrame.Err err)) {
                        break;
                    }
                    answers.computeIfAbsent(err.code().name(), k -> new LongAdder())
                            .increment();
                    if (err.fatal()) {
                        break;
                    }
                }
            } catch (IOException e) {
                // closed under us: connect again
            }
        }
    }

    private static long count(Map<String, LongAdder> answers, String code) {
        LongAdder n = answers.get(code);
        return n == null ? 0 : n.sum();
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
