package org.tlschat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.server.testing.LineProcess;

/**
 * {@code tlschat demo} as a person runs it: the built jar as a real process, a PKI made on the
 * spot, the real {@code openssl s_client} chatting as alice, {@code tlschat bench} against it,
 * and a graceful stop on SIGTERM.
 */
class DemoCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Path jar;
    private final List<LineProcess> processes = new ArrayList<>();

    @BeforeEach
    void findJar() {
        String jarProperty = System.getProperty("tlschat.jar");
        assumeTrue(jarProperty != null, "failsafe runs this after package, with -Dtlschat.jar (surefire does not)");
        jar = Path.of(jarProperty);
        assertThat(jar).as("the jar built by package").exists();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(LineProcess::close);
    }

    @Test
    void demoMakesAPkiServesOpensslAsAliceAndSaysByeShutdownOnSigterm() throws Exception {
        Path dir = tmp.resolve("demo");
        int port = freePort();
        LineProcess demo = startDemo(dir, port);

        for (String file : List.of(
                "ca.pem",
                "ca.key",
                "crl.pem",
                "index.json",
                "nodes/n1.pem",
                "nodes/n1.key",
                "users/alice.pem",
                "users/alice.key",
                "users/bob.pem",
                "users/bob.key",
                "users/carol.pem")) {
            assertThat(dir.resolve(file)).as(file).isRegularFile();
        }
        LineProcess openssl = start(
                "openssl",
                List.of(
                        "/usr/bin/openssl",
                        "s_client",
                        "-quiet",
                        "-verify_return_error",
                        "-connect",
                        "127.0.0.1:" + port,
                        "-CAfile",
                        dir.resolve("ca.pem").toString(),
                        "-cert",
                        dir.resolve("users/alice.pem").toString(),
                        "-key",
                        dir.resolve("users/alice.key").toString()));
        String welcome = openssl.awaitLine("\"type\":\"WELCOME\"", WAIT);
        assertThat(welcome).contains("\"user\":\"alice\"", "\"node\":\"n1\"");

        demo.terminate();

        assertThat(demo.exitCode(Duration.ofSeconds(10)))
                .as("exit code after SIGTERM; stderr: %s", demo.stderr())
                .isZero();
        assertThat(openssl.awaitLine("BYE", WAIT)).isEqualTo("{\"type\":\"BYE\",\"reason\":\"shutdown\"}");
    }

    @Test
    void benchFanoutAgainstTheDemoWithoutRateLimitDeliversEverythingItWasAcceptedWithNoError() throws Exception {
        Path dir = tmp.resolve("demo");
        int port = freePort();
        startDemo(dir, port, "--rate-limit", "0");

        LineProcess bench = start(
                "bench",
                tlschat(
                        "bench",
                        "fanout",
                        "--pki",
                        dir.toString(),
                        "--server",
                        "127.0.0.1:" + port,
                        "--duration",
                        "1s",
                        "--json"));

        assertThat(bench.exitCode(WAIT))
                .as("bench exit code; stderr: %s", bench.stderr())
                .isZero();
        JsonNode result = new ObjectMapper().readTree(bench.awaitLine("\"scenario\"", WAIT));
        assertThat(result.get("published").asLong()).as("SENDs answered OK").isPositive();
        assertThat(result.get("delivered").asLong())
                .isEqualTo(result.get("expected_deliveries").asLong());
        assertThat(result.get("errors").size())
                .as("errors by code: %s", result.get("errors"))
                .isZero();
    }

    /** {@code tlschat demo} in {@code dir} on {@code port}, once it printed its instructions. */
    private LineProcess startDemo(Path dir, int port, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "demo",
                "--dir",
                dir.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--admin",
                "127.0.0.1:" + freePort()));
        args.addAll(List.of(more));
        LineProcess demo = start("demo", tlschat(args.toArray(String[]::new)));
        demo.awaitLine("Chat from two other terminals", WAIT);
        return demo;
    }

    private List<String> tlschat(String... args) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private LineProcess start(String name, List<String> command) throws IOException {
        LineProcess process = LineProcess.start(name, command, tmp.resolve(name + ".err"));
        processes.add(process);
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
