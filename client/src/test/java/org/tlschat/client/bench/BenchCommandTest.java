package org.tlschat.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.cli.Cli;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestCluster;
import org.tlschat.server.testing.TestServer;
import picocli.CommandLine;

/**
 * Smoke tests of {@code tlschat bench}: every scenario runs briefly against a real server over
 * mutual TLS and counts exactly. Only counts are asserted, never timings.
 */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestServer server;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void startServer(boolean rateLimited) throws Exception {
        server = rateLimited
                ? TestServer.start(dir)
                : TestServer.start(
                        dir, c -> c.limits(SessionLimits.DEFAULT.withRate(0, 1)).quotas(Quotas.OFF));
    }

    private Run bench(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (server != null) {
            all.addAll(List.of(
                    "--server",
                    "127.0.0.1:" + server.address().getPort(),
                    "--pki",
                    server.pki().ca().layout().caCert().getParent().toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.configure(new CommandLine(new BenchCommand()))
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private int sessionsOnServer() {
        return server.server().hub().users().stream()
                .mapToInt(ServerFrame.UserEntry::sessions)
                .sum();
    }

    @Test
    void aWarmUpIsRunThenForgottenSoTheCountsAreTheMeasuredRunsOnly() throws Exception {
        startServer(false);

        Run run =
                bench("fanout", "-P", "1", "-S", "3", "--rate", "2000", "--warmup", "1s", "--duration", "1s", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        long published = result.get("published").asLong();
        assertThat(published)
                .as("about the measured second's 2,000, not the warm-up's too")
                .isBetween(1000L, 3000L);
        assertThat(result.get("delivered").asLong()).isEqualTo(3 * published);
        assertThat(result.get("latency_us").get("count").asLong()).isEqualTo(3 * published);
    }

    @Test
    void fanoutAcrossAThreeNodeClusterDeliversEveryAcknowledgedMessageToEverySubscriber() throws Exception {
        try (TestCluster cluster = TestCluster.start(
                dir, 3, c -> c.limits(SessionLimits.DEFAULT.withRate(0, 1)).quotas(Quotas.OFF))) {
            String servers = String.join(
                    ",",
                    List.of("n1", "n2", "n3").stream()
                            .map(n -> "127.0.0.1:" + cluster.node(n).address().getPort())
                            .toList());

            Run run = bench(
                    "fanout",
                    "-P",
                    "1",
                    "-S",
                    "3",
                    "--duration",
                    "1s",
                    "--json",
                    "--server",
                    servers,
                    "--pki",
                    cluster.pki().ca().layout().dir().toString());

            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode result = run.json();
            long published = result.get("published").asLong();
            assertThat(published).isPositive();
            assertThat(result.get("delivered").asLong()).isEqualTo(3 * published);
            assertThat(result.get("errors").size()).isZero();
            assertThat(List.of("n1", "n2", "n3").stream()
                            .mapToDouble(n ->
                                    AdminMetrics.sum(cluster.node(n).adminAddress(), "tlschat_cluster_forwarded_total"))
                            .sum())
                    .as("messages forwarded between nodes")
                    .isPositive();
        }
    }

    @Test
    void fanoutFromOnePublisherToThreeSubscribersDeliversEveryAcknowledgedMessageThreeTimes() throws Exception {
        startServer(false);

        Run run = bench("fanout", "-P", "1", "-S", "3", "--duration", "1s", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        long published = result.get("published").asLong();
        assertThat(published).isPositive();
        assertThat(result.get("sent").asLong()).isEqualTo(published);
        assertThat(result.get("delivered").asLong()).isEqualTo(3 * published);
        assertThat(result.get("latency_us").get("count").asLong()).isEqualTo(3 * published);
        assertThat(result.get("errors").size()).isZero();
        assertThat(run.err()).contains("published", "delivered"); // the progress lines
        await().atMost(WAIT).until(() -> sessionsOnServer() == 0);
    }

    @Test
    void fanoutAtAFixedRateNeverPublishesAheadOfTheRate() throws Exception {
        startServer(false);

        Run run = bench("fanout", "-P", "2", "-S", "2", "--rate", "200", "--duration", "1s", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        long published = result.get("published").asLong();
        assertThat(published).isPositive().isLessThanOrEqualTo((long)
                (200 * result.get("seconds").asDouble()));
        // two publishers and two subscribers: each message reaches the three other sessions
        assertThat(result.get("delivered").asLong()).isEqualTo(3 * published);
    }

    @Test
    void directPairExchangesMessagesEachDeliveredOnce() throws Exception {
        startServer(false);

        Run run = bench("direct", "--pairs", "1", "--users", "alice,bob", "--duration", "1s", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("published").asLong()).isPositive();
        assertThat(result.get("delivered").asLong())
                .isEqualTo(result.get("published").asLong());
        assertThat(result.get("errors").size()).isZero();
    }

    @Test
    void connectCountsFullHandshakesThatReachWelcomeAndLeavesNoSessionBehind() throws Exception {
        startServer(false);

        Run run = bench("connect", "-C", "2", "--duration", "1s", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("handshakes").asLong()).isPositive();
        assertThat(result.get("latency_us").get("count").asLong())
                .isEqualTo(result.get("handshakes").asLong());
        assertThat(result.get("errors").size()).isZero();
        await().atMost(WAIT).until(() -> sessionsOnServer() == 0);
    }

    @Test
    void idleOpensEverySessionVisiblyOnTheServerAndReadsItsMemoryGauges() throws Exception {
        startServer(false);
        String admin = "127.0.0.1:" + server.server().adminAddress().getPort();

        CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                () -> bench("idle", "-C", "30", "--duration", "3s", "--admin", admin, "--json"));
        await().atMost(WAIT).until(() -> sessionsOnServer() == 30);
        Run run = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("sessions").asInt()).isEqualTo(30);
        assertThat(result.get("memory").get("server_sessions").asInt()).isEqualTo(30);
        assertThat(result.get("memory").get("heap_used_bytes").asDouble()).isPositive();
        assertThat(result.get("memory").get("resident_bytes").asDouble()).isPositive();
        await().atMost(WAIT).until(() -> sessionsOnServer() == 0);
    }

    @Test
    void idleWithAnAdminPortWhereNothingListensFailsOnOneLineNamingTheAddress() throws Exception {
        startServer(false);
        String nothing;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothing = "127.0.0.1:" + closedAgain.getLocalPort();
        }

        Run run = bench("idle", "-C", "2", "--duration", "1s", "--admin", nothing);

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        List<String> lines = run.err().strip().lines().toList();
        assertThat(lines).as(run.err()).hasSize(1);
        assertThat(lines.get(0))
                .contains("http://" + nothing + "/metrics", "ConnectException")
                .doesNotContain("null");
    }

    @Test
    void rateLimitedServerIsReportedWithAWarning() throws Exception {
        startServer(true);

        Run run = bench("fanout", "-P", "1", "-S", "1", "--duration", "1s");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("RATE_LIMITED", "--rate-limit 0");
    }

    @Test
    void tooSmallMessageSizeIsAUsageErrorOnOneLine() {
        Run run = bench("fanout", "--size", "3", "--pki", dir.toString());

        assertThat(run.exit()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(run.err().strip())
                .startsWith("error: --size must be between 16")
                .doesNotContain("\n");
    }

    @Test
    void pkiWithoutUserCertificatesIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "");

        Run run = bench("fanout", "--pki", dir.toString(), "--duration", "1s");

        assertThat(run.exit()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(run.err()).contains("no user certificates in");
    }
}
