package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.TlsContexts;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.PasswordGuessing;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/**
 * Password guessing across connections: a storm of wrong guesses for one account from many
 * connections of one address is answered at a bounded rate, does not delay other accounts' logins,
 * locks only for a window, and a full hash pool says BUSY, never AUTH_FAILED.
 */
class PasswordGuessingTest {
    private static final int ATTACKERS = 16;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final PasswordGuessing GUESSING =
            new PasswordGuessing(5, 30, WINDOW, PasswordGuessing.DEFAULT_QUEUE);

    @TempDir
    Path tmp;

    private TestServer server;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ExecutorService attackers = Executors.newFixedThreadPool(ATTACKERS);
    private final AtomicBoolean storming = new AtomicBoolean(true);
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws InterruptedException {
        storming.set(false);
        attackers.shutdown();
        attackers.awaitTermination(30, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUnrelatedCorrectLoginIsWelcomedWithinASecondDuringAGuessingStorm() throws Exception {
        start(GUESSING, "alice", "bob");
        startStorm("alice");
        await().atMost(Duration.ofSeconds(20)).until(() -> total() >= 5);

        for (int i = 0; i < 3; i++) {
            WireClient bob = connect();
            bob.expect(ServerFrame.AuthRequired.class);
            long start = System.nanoTime();
            bob.send(new Request.Auth("a", "bob", "bob's password"));
            Object answer = bob.pollWithin(Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf(
                    "unrelated login during the storm: %s after %d ms; storm answers so far %s%n",
                    answer == null ? "nothing" : answer.getClass().getSimpleName(), took.toMillis(), answers);

            assertThat(answer).isInstanceOf(ServerFrame.Welcome.class);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            bob.close();
        }
    }

    @Test
    void wrongGuessesForOneAccountFromOneAddressAreAnsweredAtMostFiveTimesPerWindow() throws Exception {
        start(GUESSING, "alice", "bob");
        long start = System.nanoTime();
        startStorm("alice");
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        storming.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        long wrong = count(ErrorCode.AUTH_FAILED.name());
        System.out.printf(
                "answered wrong guesses: %d in %.1f s (%.1f/s); all answers %s%n",
                wrong, seconds, wrong / seconds, answers);

        assertThat(wrong).as("AUTH_FAILED answers within one window").isLessThanOrEqualTo(GUESSING.perAccount());
        assertThat(count(ErrorCode.RATE_LIMITED.name()) + count(ErrorCode.BUSY.name()))
                .as("the rest refused without a check")
                .isPositive();
        Map<String, Double> metrics = AdminMetrics.scrape(server.server().adminAddress());
        assertThat(metrics.get("tlschat_auth_attempts_total{result=\"wrong\"}")).isEqualTo((double) wrong);
        assertThat(metrics.getOrDefault("tlschat_auth_attempts_total{result=\"busy\"}", 0.0)
                        + metrics.getOrDefault("tlschat_auth_attempts_total{result=\"locked\"}", 0.0))
                .isPositive();
    }

    @Test
    void theAttackedAccountIsRefusedNotFailedDuringTheWindowAndLogsInAfterIt() throws Exception {
        start(GUESSING, "alice", "bob");
        startStorm("alice");
        await().atMost(Duration.ofSeconds(20)).until(() -> count(ErrorCode.RATE_LIMITED.name()) > 0);
        storming.set(false);

        WireClient alice = connect();
        alice.expect(ServerFrame.AuthRequired.class);
        alice.send(new Request.Auth("a", "alice", "alice's password"));
        ServerFrame.Err locked = alice.expectErr(ErrorCode.RATE_LIMITED);
        assertThat(locked.fatal()).isFalse();
        assertThat(locked.message()).contains("try again in");

        await().atMost(WINDOW.plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    alice.send(new Request.Auth("b", "alice", "alice's password"));
                    assertThat(alice.next()).isInstanceOf(ServerFrame.Welcome.class);
                });
    }

    @Test
    void aSaturatedHashPoolAnswersBusyNeverAuthFailedForARightPassword() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            names.add("user" + i);
        }
        start(new PasswordGuessing(5, 30, WINDOW, 1), names.toArray(String[]::new));
        List<WireClient> clients = new ArrayList<>();
        for (String name : names) {
            WireClient c = connect();
            c.expect(ServerFrame.AuthRequired.class);
            clients.add(c);
        }

        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).send(new Request.Auth("a", names.get(i), names.get(i) + "'s password"));
        }

        List<Object> got = new ArrayList<>();
        for (WireClient c : clients) {
            got.add(c.next());
        }
        System.out.println("answers to 16 right passwords at once, queue 1: " + got);
        assertThat(got)
                .allSatisfy(frame -> assertThat(frame)
                        .satisfiesAnyOf(
                                f -> assertThat(f).isInstanceOf(ServerFrame.Welcome.class),
                                f -> assertThat(f)
                                        .isEqualTo(new ServerFrame.Err(
                                                "a", ErrorCode.BUSY, ((ServerFrame.Err) f).message(), false))));
        assertThat(got).filteredOn(ServerFrame.Err.class::isInstance).isNotEmpty();
    }

    private void start(PasswordGuessing guessing, String... users) throws Exception {
        Path file = users(tmp, users);
        server = TestServer.start(
                tmp, c -> c.authentication(Authentication.password(file)).guessing(guessing));
    }

    private void startStorm(String victim) {
        for (int i = 0; i < ATTACKERS; i++) {
            attackers.execute(() -> guess(victim));
        }
    }

    /** One attacker: guesses as fast as answers come, reconnecting whenever the server closes. */
    private void guess(String victim) {
        int n = 0;
        while (storming.get()) {
            WireClient c;
            try {
                c = connect();
            } catch (Exception | AssertionError e) {
                continue;
            }
            try (c) {
                if (!(c.pollWithin(Duration.ofSeconds(5)) instanceof ServerFrame.AuthRequired)) {
                    continue;
                }
                while (storming.get() && c.channel().isActive()) {
                    c.send(new Request.Auth("g" + n++, victim, "guess " + n));
                    Object answer = c.pollWithin(Duration.ofSeconds(5));
                    if (answer == null) {
                        break;
                    }
                    String label = answer instanceof ServerFrame.Err err
                            ? err.code().name()
                            : answer.getClass().getSimpleName();
                    answers.computeIfAbsent(label, k -> new LongAdder()).increment();
                    if (answer instanceof ServerFrame.Err err && err.fatal()) {
                        break;
                    }
                }
            } catch (Exception | AssertionError e) {
                // the server closed under us: reconnect
            }
        }
    }

    private long total() {
        return answers.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private long count(String label) {
        LongAdder a = answers.get(label);
        return a == null ? 0 : a.sum();
    }

    private WireClient connect() throws Exception {
        return WireClient.connect(
                group, server.address(), server.pki().clientTls((String) null, TlsContexts.provider()));
    }

    /** {@code dir}/users.json: each user's password is "NAME's password" (one hash per user). */
    private static Path users(Path dir, String... names) throws Exception {
        Path users = dir.resolve("users.json");
        UserStore store = UserStore.open(users);
        for (String name : names) {
            store.put(name, PasswordHash.hash((name + "'s password").toCharArray()));
        }
        store.save();
        return users;
    }
}
