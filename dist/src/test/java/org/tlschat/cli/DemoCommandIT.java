package org.tlschat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tlschat demo} as a person runs it: the built jar as a real process, a PKI made on the
 * spot, the real {@code openssl s_client} chatting as alice, and a graceful stop on SIGTERM.
 */
class DemoCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String END = new String("<end of output>");

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void demoMakesAPkiServesOpensslAsAliceAndSaysByeShutdownOnSigterm() throws Exception {
        String jarProperty = System.getProperty("tlschat.jar");
        assumeTrue(jarProperty != null, "failsafe runs this after package, with -Dtlschat.jar (surefire does not)");
        Path jar = Path.of(jarProperty);
        assertThat(jar).as("the jar built by package").exists();
        Path dir = tmp.resolve("demo");
        int port = freePort();
        int adminPort = freePort();
        Process demo = start(new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "demo", "--dir", dir.toString(),
                "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:" + adminPort)
                .redirectError(tmp.resolve("demo.err").toFile()));
        BlockingQueue<String> demoOut = lines(demo.getInputStream(), "demo-stdout");

        awaitLine(demoOut, "Chat from two other terminals", tmp.resolve("demo.err"));

        for (String file : List.of("ca.pem", "ca.key", "crl.pem", "index.json", "nodes/n1.pem", "nodes/n1.key",
                "users/alice.pem", "users/alice.key", "users/bob.pem", "users/bob.key", "users/carol.pem")) {
            assertThat(dir.resolve(file)).as(file).isRegularFile();
        }
        Process openssl = start(new ProcessBuilder("/usr/bin/openssl", "s_client", "-quiet", "-verify_return_error",
                "-connect", "127.0.0.1:" + port, "-CAfile", dir.resolve("ca.pem").toString(),
                "-cert", dir.resolve("users/alice.pem").toString(), "-key", dir.resolve("users/alice.key").toString())
                .redirectError(tmp.resolve("openssl.err").toFile()));
        BlockingQueue<String> opensslOut = lines(openssl.getInputStream(), "openssl-stdout");
        String welcome = awaitLine(opensslOut, "\"type\":\"WELCOME\"", tmp.resolve("openssl.err"));
        assertThat(welcome).contains("\"user\":\"alice\"", "\"node\":\"n1\"");

        demo.destroy();

        assertThat(demo.waitFor(10, TimeUnit.SECONDS)).as("the demo stops within 10 s of SIGTERM").isTrue();
        assertThat(demo.exitValue()).as("exit code after SIGTERM; stderr: %s",
                Files.readString(tmp.resolve("demo.err"))).isZero();
        assertThat(awaitLine(opensslOut, "BYE", tmp.resolve("openssl.err")))
                .isEqualTo("{\"type\":\"BYE\",\"reason\":\"shutdown\"}");
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The process output, line by line, as it comes; {@link #END} once it ends. */
    private static BlockingQueue<String> lines(InputStream stream, String name) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                lines.add(END);
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Skips lines until one contains {@code text}; fails if the output ends or stalls for {@link #WAIT}. */
    private static String awaitLine(BlockingQueue<String> lines, String text, Path stderr) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == END) {
                fail((line == null ? "no line with '" + text + "' within " + WAIT : "output ended before '" + text + "'")
                        + "; stdout: " + seen + "; stderr: " + (Files.exists(stderr) ? Files.readString(stderr) : ""));
            }
            seen.add(line);
            if (line.contains(text)) {
                return line;
            }
        }
    }
}
