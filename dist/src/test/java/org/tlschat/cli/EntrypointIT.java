package org.tlschat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ChatListener;
import org.tlschat.client.ClientOptions;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.AdminMetrics;

/**
 * docker/entrypoint.sh and docker/pki-init.sh run outside Docker, as real processes from the
 * built jar, with the environment docker/compose.yml gives its services. Only what a container
 * supplies is replaced: distinct ports instead of one IP per replica (peers dial 127.0.0.1), the
 * static peer list instead of Docker's DNS (no DNS server here), HOSTNAME as Docker sets it, and
 * temporary paths.
 */
class EntrypointIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REPLICAS = 3;

    @TempDir
    Path tmp;

    private Path docker;
    private Path jar;
    private final List<Process> processes = new ArrayList<>();
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeEach
    void findTheBuild() {
        String jarProperty = System.getProperty("tlschat.jar");
        assumeTrue(jarProperty != null, "failsafe runs this after package, with -Dtlschat.jar (surefire does not)");
        jar = Path.of(jarProperty).toAbsolutePath();
        docker = jar.getParent().getParent().getParent().resolve("docker");
        assertThat(docker.resolve("compose.yml")).isRegularFile();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        clients.forEach(ChatClient::close);
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // java, if a script did not exec it
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void composeEnvironmentMakesAPkiKeptOnRerunAndThreeReplicasThatClusterDeliverAcrossNodesAndByeOnSigterm()
            throws Exception {
        Path pki = tmp.resolve("pki");
        runPkiService(pki);
        byte[] ca = Files.readAllBytes(pki.resolve("ca.pem"));
        byte[] node = Files.readAllBytes(pki.resolve("nodes/server.pem"));
        runPkiService(pki);
        assertThat(Files.readAllBytes(pki.resolve("ca.pem")))
                .as("ca.pem after a second run")
                .isEqualTo(ca);
        assertThat(Files.readAllBytes(pki.resolve("nodes/server.pem"))).isEqualTo(node);

        Map<String, String> compose = ComposeEnvironment.of(docker.resolve("compose.yml"), "server");
        assertThat(compose)
                .containsEntry("TLSCHAT_CLUSTER_DNS", "server")
                .containsEntry("TLSCHAT_NODE", "server")
                .containsKeys("TLSCHAT_PKI", "TLSCHAT_LISTEN", "TLSCHAT_ADMIN", "TLSCHAT_CLUSTER_LISTEN");
        assertThat(isLoopback(compose.get("TLSCHAT_ADMIN")))
                .as("compose.yml's TLSCHAT_ADMIN %s is loopback", compose.get("TLSCHAT_ADMIN"))
                .isTrue();
        String imageAdmin = Files.readAllLines(docker.resolve("Dockerfile")).stream()
                .map(String::strip)
                .filter(line -> line.startsWith("TLSCHAT_ADMIN=") || line.startsWith("ENV TLSCHAT_ADMIN="))
                .map(line -> line.substring(line.indexOf('=') + 1).split("[ \\\\]")[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile sets no TLSCHAT_ADMIN"));
        assertThat(isLoopback(imageAdmin))
                .as("the image's TLSCHAT_ADMIN %s is loopback", imageAdmin)
                .isTrue();
        List<Replica> replicas = new ArrayList<>();
        for (int i = 1; i <= REPLICAS; i++) {
            replicas.add(new Replica("replica-" + i, freePort(), freePort(), freePort()));
        }
        String peers = replicas.stream().map(r -> "127.0.0.1:" + r.clusterPort).collect(Collectors.joining(","));
        List<Process> servers = new ArrayList<>();
        for (Replica replica : replicas) {
            Map<String, String> env = new LinkedHashMap<>(compose);
            env.remove("TLSCHAT_CLUSTER_DNS");
            env.put("TLSCHAT_CLUSTER_PEERS", peers);
            env.put("TLSCHAT_CLUSTER_ADVERTISE", "127.0.0.1");
            // the compose file's bind addresses with a port of this replica's own
            env.replace("TLSCHAT_LISTEN", withPort(compose.get("TLSCHAT_LISTEN"), replica.port));
            env.replace("TLSCHAT_ADMIN", withPort(compose.get("TLSCHAT_ADMIN"), replica.adminPort));
            env.replace("TLSCHAT_CLUSTER_LISTEN", withPort(compose.get("TLSCHAT_CLUSTER_LISTEN"), replica.clusterPort));
            env.put("TLSCHAT_PKI", pki.toString());
            env.put("HOSTNAME", replica.hostname);
            env.put("JAVA_OPTS", "-Xmx256m");
            servers.add(script("entrypoint.sh", env, replica.hostname));
        }

        for (Replica replica : replicas) {
            await(replica.hostname + " ready in a cluster of " + REPLICAS)
                    .atMost(WAIT)
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(AdminMetrics.get(replica.admin(), "/readyz").statusCode())
                                .isEqualTo(200);
                        assertThat(AdminMetrics.scrape(replica.admin())).containsEntry("tlschat_cluster_members", 3.0);
                    });
        }
        assertThat(healthcheck(withPort(compose.get("TLSCHAT_ADMIN"), replicas.get(0).adminPort)))
                .as("docker/healthcheck.sh exit code, with the compose file's admin address")
                .isZero();
        assertThat(healthcheck("0.0.0.0:" + replicas.get(0).adminPort))
                .as("docker/healthcheck.sh dials loopback for an admin port on every interface (opt-in)")
                .isZero();
        assertThat(log(replicas.get(0).hostname + ".out") + log(replicas.get(0).hostname + ".err"))
                .as("the replica's admin listener is on loopback")
                .contains("admin on http://127.0.0.1:" + replicas.get(0).adminPort);

        BlockingQueue<String> toBob = new LinkedBlockingQueue<>();
        ChatClient bob = connect(pki, "bob", replicas.get(2), new ChatListener() {
            @Override
            public void onMessage(ServerFrame.Msg msg) {
                toBob.add(msg.from() + ": " + msg.text());
            }

            @Override
            public void onClosed(String reason) {
                toBob.add("closed: " + reason);
            }
        });
        ChatClient alice = connect(pki, "alice", replicas.get(0), ChatListener.NONE);
        assertThat(alice.welcome().node()).as("node name from HOSTNAME").isEqualTo("replica-1");
        assertThat(bob.welcome().node()).isEqualTo("replica-3");
        await("bob online on replica-1")
                .atMost(WAIT)
                .until(() -> alice.list().get(10, TimeUnit.SECONDS).stream()
                        .anyMatch(u -> u.user().equals("bob")));

        alice.send("bob", "hello from replica-1").get(15, TimeUnit.SECONDS);

        assertThat(toBob.poll(15, TimeUnit.SECONDS)).isEqualTo("alice: hello from replica-1");

        Process bobsServer = servers.get(2);
        bobsServer.destroy();

        assertThat(toBob.poll(15, TimeUnit.SECONDS))
                .as("java got the SIGTERM: the script exec'd it")
                .isEqualTo("closed: shutdown");
        assertThat(bobsServer.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(bobsServer.exitValue()).isZero();
    }

    @Test
    void emptyPkiVolumeExitsTwoWithOneLine() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Map<String, String> env = new LinkedHashMap<>(ComposeEnvironment.of(docker.resolve("compose.yml"), "server"));
        env.put("TLSCHAT_PKI", empty.toString());

        List<String> stderr = failedStart(env);

        assertThat(stderr).singleElement().asString().startsWith("error: no PKI in " + empty);
    }

    @Test
    void missingNodeKeyExitsTwoWithOneLineNamingIt() throws Exception {
        Path pki = tmp.resolve("pki");
        Files.createDirectories(pki.resolve("nodes"));
        for (String file : List.of("ca.pem", "crl.pem", "nodes/server.pem")) {
            Files.writeString(pki.resolve(file), "only its presence is checked before java starts\n");
        }
        Map<String, String> env = new LinkedHashMap<>(ComposeEnvironment.of(docker.resolve("compose.yml"), "server"));
        env.put("TLSCHAT_PKI", pki.toString());

        List<String> stderr = failedStart(env);

        assertThat(stderr)
                .singleElement()
                .asString()
                .startsWith("error: cannot read " + pki.resolve("nodes/server.key"));
    }

    // ------------------------------------------------------------------ helpers

    private record Replica(String hostname, int port, int adminPort, int clusterPort) {
        InetSocketAddress admin() {
            return new InetSocketAddress("127.0.0.1", adminPort);
        }
    }

    @Test
    void theOldPkiVariableStillWorksWithOneDeprecationLine() throws Exception {
        Path old = tmp.resolve("old-pki");
        runPkiService("TLSCHAT_PKI_DIR", old);
        assertThat(log("pki.err")).contains("TLSCHAT_PKI_DIR is deprecated, set TLSCHAT_PKI");

        succeeds(
                start(
                        List.of(java(), "-jar", jar.toString(), "pki", "user", "--name", "dave"),
                        Map.of("TLSCHAT_PKI_DIR", old.toString()),
                        "old-pki-user"),
                "old-pki-user");
        assertThat(old.resolve("users/dave.pem"))
                .as("the jar read TLSCHAT_PKI_DIR itself")
                .isRegularFile();
        assertThat(log("old-pki-user.err").lines())
                .containsExactly("warning: TLSCHAT_PKI_DIR is deprecated, set TLSCHAT_PKI");
    }

    /** docker/pki-init.sh with the pki service's environment, into {@code pki}. */
    private void runPkiService(Path pki) throws Exception {
        runPkiService("TLSCHAT_PKI", pki);
    }

    /** The same, with the directory in {@code variable} instead of the service's TLSCHAT_PKI. */
    private void runPkiService(String variable, Path pki) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(ComposeEnvironment.of(docker.resolve("compose.yml"), "pki"));
        env.remove("TLSCHAT_PKI");
        env.put(variable, pki.toString());
        succeeds(script("pki-init.sh", env, "pki"), "pki");
        for (String user : env.get("TLSCHAT_PKI_USERS").split(" ")) {
            assertThat(pki.resolve("users/" + user + ".pem")).isRegularFile();
        }
    }

    /** Waits for the process started as {@code name} to exit 0; its stderr is in the message. */
    private void succeeds(Process process, String name) throws Exception {
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("%s finishes", name)
                .isTrue();
        assertThat(process.exitValue())
                .as("%s exit code; stderr: %s", name, log(name + ".err"))
                .isZero();
    }

    /** The entrypoint's stderr lines after it refused to start with exit code 2. */
    private List<String> failedStart(Map<String, String> env) throws Exception {
        Process process = script("entrypoint.sh", env, "refused");
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        return Files.readAllLines(tmp.resolve("refused.err"));
    }

    private int healthcheck(String admin) throws Exception {
        Process probe = script("healthcheck.sh", Map.of("TLSCHAT_ADMIN", admin), "healthcheck");
        assertThat(probe.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return probe.exitValue();
    }

    /** Starts docker/NAME with exactly {@code env} as its TLSCHAT_* settings; output in NAME.out|err. */
    private Process script(String script, Map<String, String> env, String name) throws IOException {
        return start(List.of(docker.resolve(script).toString()), env, name);
    }

    /** Starts {@code command} with exactly {@code env} as its TLSCHAT_* settings; output in NAME.out|err. */
    private Process start(List<String> command, Map<String, String> env, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("TLSCHAT_") || key.equals("JAVA_OPTS"));
        builder.environment().put("TLSCHAT_JAR", jar.toString());
        builder.environment().put("TLSCHAT_JAVA", java());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A session that ends (no failover) when its server goes: the test sees why. */
    private ChatClient connect(Path pki, String user, Replica replica, ChatListener listener) {
        ChatClient client = ChatClient.connect(
                ClientOptions.builder()
                        .server("127.0.0.1", replica.port)
                        .ca(pki.resolve("ca.pem"))
                        .certificate(pki.resolve("users/" + user + ".pem"), pki.resolve("users/" + user + ".key"))
                        .reconnectFor(Duration.ZERO)
                        .build(),
                listener);
        clients.add(client);
        return client;
    }

    private static boolean isLoopback(String hostPort) throws IOException {
        return InetAddress.getByName(HostPort.parse(hostPort, 9090).host()).isLoopbackAddress();
    }

    private static String withPort(String hostPort, int port) {
        return HostPort.parse(hostPort, port).host() + ":" + port;
    }

    private String log(String file) throws IOException {
        Path path = tmp.resolve(file);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
