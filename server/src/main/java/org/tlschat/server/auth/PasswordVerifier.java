package org.tlschat.server.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks passwords on a small pool of its own, never on an event loop: an Argon2id hash costs tens
 * of milliseconds by design. An unknown user costs the same as a known one, so timing does not
 * tell which users exist.
 *
 * <p>Before a check, {@link GuessThrottle} may refuse it (too many wrong passwords for the account
 * from that address, or from that address at all; or a check for the same account and address is
 * still running). Admitted checks wait in a queue that is fair between accounts: the workers take
 * one check per account in turn, so a storm of guesses for one account delays another account's
 * login by at most one check per guessed account. A full queue refuses the attempt as
 * {@link Busy}, never as a wrong password. A check whose caller cancels it before it starts (the
 * connection went away) leaves the queue at once.
 */
public final class PasswordVerifier implements AutoCloseable {
    /** The result of one AUTH. */
    public sealed interface Outcome {}

    /** The password is right. */
    public record Right() implements Outcome {}

    /** Wrong user or password. */
    public record Wrong() implements Outcome {}

    /** Refused without a check: too many wrong passwords from this address, for this account or at all. */
    public record Locked(Duration retryAfter, boolean wholeAddress) implements Outcome {}

    /** Refused without a check: the pool is saturated, or the same account is being checked for this address. */
    public record Busy(String why) implements Outcome {}

    private final UserStore users;
    private final String decoy = PasswordHash.hash("decoy password".toCharArray());
    private final GuessThrottle throttle;
    private final FairQueue queue;
    private final List<Thread> workers = new ArrayList<>();

    /** Limits from {@code guessing}; cores/2 threads. */
    public PasswordVerifier(UserStore users, int perAccount, int perAddress, Duration window, int queueSize) {
        this.users = users;
        this.throttle = new GuessThrottle(perAccount, perAddress, window, System::nanoTime);
        this.queue = new FairQueue(queueSize);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "tlschat-auth-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /**
     * The outcome of {@code user}'s AUTH with {@code password} from {@code from}. Cancelling the
     * future before the check starts takes it out of the queue.
     */
    public CompletableFuture<Outcome> verify(InetAddress from, String user, String password) {
        GuessThrottle.Admission admission = throttle.admit(from, user);
        if (admission instanceof GuessThrottle.Locked locked) {
            return CompletableFuture.completedFuture(new Locked(locked.retryAfter(), locked.wholeAddress()));
        }
        if (admission instanceof GuessThrottle.InFlight) {
            return CompletableFuture.completedFuture(
                    new Busy("another AUTH for " + user + " from your address is being checked"));
        }
        GuessThrottle.Admitted admitted = (GuessThrottle.Admitted) admission;
        Job job = new Job(user, password, admitted);
        if (!queue.offer(user, job)) {
            throttle.abandoned(admitted);
            return CompletableFuture.completedFuture(new Busy("too many logins are being checked"));
        }
        job.result.whenComplete((outcome, error) -> {
            if (job.result.isCancelled() && job.claim()) {
                queue.remove(user, job);
                throttle.abandoned(admitted);
            }
        });
        return job.result;
    }

    private void work() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Job job = queue.take();
                if (!job.claim()) {
                    continue;
                }
                boolean right;
                try {
                    String hash = users.hashOf(job.user).orElse(null);
                    boolean matches = PasswordHash.verify(hash == null ? decoy : hash, job.password.toCharArray());
                    right = hash != null && matches;
                } catch (RuntimeException e) {
                    throttle.abandoned(job.admitted);
                    job.result.completeExceptionally(e);
                    continue;
                }
                throttle.checked(job.admitted, right);
                job.result.complete(right ? new Right() : new Wrong());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        workers.forEach(Thread::interrupt);
    }

    private static final class Job {
        final String user;
        final String password;
        final GuessThrottle.Admitted admitted;
        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();

        Job(String user, String password, GuessThrottle.Admitted admitted) {
            this.user = user;
            this.password = password;
            this.admitted = admitted;
        }

        /** True for whoever comes first: the worker that runs it, or the cancellation that drops it. */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    /** Bounded; one queue per account, taken in turn. */
    private static final class FairQueue {
        private final int capacity;
        private final Map<String, ArrayDeque<Job>> byUser = new HashMap<>();
        private final ArrayDeque<String> turns = new ArrayDeque<>();
        private int size;

        FairQueue(int capacity) {
            this.capacity = capacity;
        }

        synchronized boolean offer(String user, Job job) {
            if (size >= capacity) {
                return false;
            }
            byUser.computeIfAbsent(user, u -> {
                        turns.add(u);
                        return new ArrayDeque<>();
                    })
                    .add(job);
            size++;
            notify();
            return true;
        }

        synchronized Job take() throws InterruptedException {
            while (size == 0) {
                wait();
            }
            String user = turns.poll();
            ArrayDeque<Job> jobs = byUser.get(user);
            Job job = jobs.poll();
            if (jobs.isEmpty()) {
                byUser.remove(user);
            } else {
                turns.add(user);
            }
            size--;
            return job;
        }

        synchronized void remove(String user, Job job) {
            ArrayDeque<Job> jobs = byUser.get(user);
            if (jobs != null && jobs.remove(job)) {
                size--;
                if (jobs.isEmpty()) {
                    byUser.remove(user);
                    turns.remove(user);
                }
            }
        }
    }
}
