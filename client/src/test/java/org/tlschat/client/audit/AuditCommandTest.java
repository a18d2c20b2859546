package org.tlschat.client.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.cli.Cli;
import org.tlschat.protocol.Limits;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.PasswordGuessing;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.ServerConfig.TlsFiles;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.TestCluster;
import org.tlschat.server.testing.TestServer;
import picocli.CommandLine;

/** {@code tlschat audit} against a live server: all PASS on a sound one, FAIL where it was weakened. */
class AuditCommandTest {
    @TempDir
    Path tmp;

    TestServer server;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSoundServerPassesEveryAttackAndTheAuditExitsZero() throws Exception {
        start(UnaryOperator.identity());

        int exit = audit("--server", "127.0.0.1:" + server.address().getPort(), "--pki", pkiDir().toString());

        assertThat(out.toString())
                .doesNotContain("FAIL ")
                .contains("no client certificate")
                .containsPattern(
                        "op flood \\(PINGs at once\\)\\s+.*PASS\\s+900 PINGs at once: .* ERR RATE_LIMITED, connection kept")
                .containsPattern("300 connections that never start TLS\\s+.*PASS\\s+1\\d\\d of 300 closed at once")
                .containsPattern("revoked while connected\\s+.*PASS\\s+ERR REVOKED \\(fatal\\)")
                .containsPattern("revoked peer that stops reading\\s+.*PASS\\s+closed .* after the revocation")
                .contains("0 failed");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(Files.list(pkiDir().resolve("users")).map(Path::toString))
                .as("throwaway users removed")
                .noneMatch(name -> name.contains("audit-"));
    }

    @Test
    void aServerThatDoesNotCheckRevocationFailsTheRevocationRowsAndTheAuditExitsOne() throws Exception {
        start(c -> c.tls(TlsFiles::withoutCrl));

        int exit = audit("--server", "127.0.0.1:" + server.address().getPort(), "--pki", pkiDir().toString());

        assertThat(out.toString())
                .containsPattern("revoked certificate \\(new connection\\)\\s+.*FAIL")
                .containsPattern("revoked while connected\\s+.*FAIL")
                .containsPattern("revoked peer that stops reading\\s+.*FAIL\\s+still connected")
                .containsPattern("expired certificate\\s+.*PASS")
                .contains("3 failed");
        assertThat(exit).isEqualTo(Cli.RUNTIME_ERROR);
    }

    @Test
    void withAdminASoundServerPassesTheMemoryRow() throws Exception {
        start(UnaryOperator.identity());
        var admin = server.server().adminAddress();

        int exit = audit(
                "--server",
                "127.0.0.1:" + server.address().getPort(),
                "--pki",
                pkiDir().toString(),
                "--admin",
                admin.getHostString() + ":" + admin.getPort());

        // the outbound budget stops reading from a peer that does not read its replies: memory stays bounded
        assertThat(out.toString()).containsPattern("memory under a non-reading flood\\s+.*PASS");
        assertThat(exit).as("output: %s", out).isZero();
    }

    @Test
    void aServerWithoutQuotasFailsTheOpFloodAndSilentConnectionRows() throws Exception {
        // the default 10 s handshake timeout: a silent connection closed at once is refused, not timed out
        server = TestServer.start(tmp, c -> c.quotas(Quotas.OFF));

        int exit = audit("--server", "127.0.0.1:" + server.address().getPort(), "--pki", pkiDir().toString());

        assertThat(out.toString())
                .containsPattern(
                        "op flood \\(PINGs at once\\)\\s+.*FAIL\\s+2000 PINGs at once: 2000 PONG, 0 ERR RATE_LIMITED")
                .containsPattern("300 connections that never start TLS\\s+.*FAIL\\s+all 300 held")
                .containsPattern("burst of 100 connections\\s+.*PASS")
                .contains("2 failed");
        assertThat(exit).isEqualTo(Cli.RUNTIME_ERROR);
    }

    @Test
    void withoutAdminTheMemoryRowIsSkipped() throws Exception {
        start(UnaryOperator.identity());

        audit("--server", "127.0.0.1:" + server.address().getPort(), "--pki", pkiDir().toString());

        assertThat(out.toString()).containsPattern("memory under a non-reading flood\\s+.*SKIP\\s+no --admin given");
    }

    @Test
    void aMalformedAdminAddressIsAUsageError() {
        int exit = audit("--server", "127.0.0.1:7443", "--pki", tmp.toString(), "--admin", "host:x");

        assertThat(exit).isEqualTo(Cli.USAGE_ERROR);
        assertThat(err.toString()).startsWith("error: --admin:").doesNotContain("Exception");
    }

    @Test
    void aClusterNodeAlsoPassesTheClusterPortAttacks() throws Exception {
        try (TestCluster cluster = TestCluster.start(
                tmp,
                1,
                c -> c.timeouts(new Timeouts(Limits.IDLE_TIMEOUT, Duration.ofSeconds(1), Limits.AUTH_TIMEOUT)))) {
            int exit = audit(
                    "--server",
                    "127.0.0.1:" + cluster.node("n1").address().getPort(),
                    "--pki",
                    cluster.pki().ca().layout().dir().toString(),
                    "--cluster",
                    "127.0.0.1:" + cluster.clusterAddress("n1").getPort());

            assertThat(out.toString())
                    .doesNotContain("FAIL ")
                    .containsPattern("cluster port.*\\s+PASS")
                    .contains("0 failed");
            assertThat(exit).as(out.toString()).isZero();
        }
    }

    @Test
    void aPasswordServerPassesTheBruteForceAttacks() throws Exception {
        int exit = auditAsAliceOfAPasswordServer(UnaryOperator.identity());

        assertThat(out.toString())
                .doesNotContain("FAIL ")
                .containsPattern("3 wrong passwords\\s+.*PASS")
                .containsPattern("unknown user vs wrong password\\s+.*PASS")
                .as(out.toString())
                .containsPattern("password guessing\\s+.*PASS")
                .contains("0 failed");
        assertThat(exit).as(out.toString()).isZero();
    }

    @Test
    void aPasswordServerThatAnswersEveryGuessFailsThePasswordGuessingRow() throws Exception {
        int exit = auditAsAliceOfAPasswordServer(
                c -> c.guessing(new PasswordGuessing(1_000_000, 1_000_000, Duration.ofSeconds(60), 256)));

        assertThat(out.toString()).as(out.toString()).containsPattern("password guessing\\s+.*FAIL");
        assertThat(exit).isEqualTo(Cli.RUNTIME_ERROR);
    }

    @Test
    void aMalformedAddressIsAUsageError() {
        int exit = audit("--server", "chat:x", "--pki", tmp.toString());

        assertThat(exit).isEqualTo(Cli.USAGE_ERROR);
        assertThat(err.toString()).startsWith("error: --server:").doesNotContain("Exception");
    }

    private void start(UnaryOperator<ServerConfig.Builder> adjust) throws Exception {
        server = TestServer.start(
                tmp,
                c -> adjust.apply(
                        c.timeouts(new Timeouts(Limits.IDLE_TIMEOUT, Duration.ofSeconds(1), Limits.AUTH_TIMEOUT))));
    }

    /** A password-mode server (alice, "correct horse") adjusted by {@code adjust}, audited with her password. */
    private int auditAsAliceOfAPasswordServer(UnaryOperator<ServerConfig.Builder> adjust) throws Exception {
        Path users = tmp.resolve("users.json");
        UserStore store = UserStore.open(users);
        store.put("alice", PasswordHash.hash("correct horse".toCharArray()));
        store.save();
        Path passwordFile = Files.writeString(tmp.resolve("alice.password"), "correct horse\n");
        start(c -> adjust.apply(c.authentication(Authentication.password(users))));
        int exit = audit(
                "--server",
                "127.0.0.1:" + server.address().getPort(),
                "--pki",
                pkiDir().toString(),
                "--password-user",
                "alice",
                "--password-file",
                passwordFile.toString());
        return exit;
    }

    private Path pkiDir() {
        return server.pki().ca().layout().dir();
    }

    private int audit(String... args) {
        CommandLine cli = Cli.configure(new CommandLine(new AuditCommand()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
