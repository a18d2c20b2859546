package org.tlschat.server.auth;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks passwords on a small pool of its own, never on an event loop: an Argon2id hash costs tens
 * of milliseconds by design. An unknown user costs the same as a known one, so timing does not
 * tell which users exist. A full queue refuses the attempt rather than growing.
 */
public final class PasswordVerifier implements AutoCloseable {
    private static final int MAX_QUEUED = 256;

    private final UserStore users;
    private final String decoy = PasswordHash.hash("decoy password".toCharArray());
    private final ExecutorService pool;

    public PasswordVerifier(UserStore users) {
        this.users = users;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED),
                new DefaultThreadFactory("tlschat-auth", true),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** Completes with true when the password is right; false otherwise, or when too busy to check. */
    public CompletableFuture<Boolean> verify(String user, String password) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        String hash = users.hashOf(user).orElse(null);
                        boolean matches = PasswordHash.verify(hash == null ? decoy : hash, password.toCharArray());
                        return hash != null && matches;
                    },
                    pool);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(false);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
