package org.tlschat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ChatListener;
import org.tlschat.client.ClientOptions;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.server.testing.LineProcess;
import org.tlschat.server.testing.StalledPeer;

/**
 * The built jar with a 128 MiB heap under a minute of floods from peers that never read: four
 * sessions write LIST as fast as the server takes it (and reconnect when they are cut off), while
 * alice's PING is answered within two seconds every time and the server never runs out of memory.
 */
class SmallHeapIT {
    private static final Duration FLOOD = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(2);
    private static final int FLOODERS = 4;

    @TempDir
    Path tmp;

    private Path jar;
    private LineProcess server;
    private final List<StalledPeer> flooders = new ArrayList<>();

    @BeforeEach
    void findJar() {
        String jarProperty = System.getProperty("tlschat.jar");
        assumeTrue(jarProperty != null, "failsafe runs this after package, with -Dtlschat.jar (surefire does not)");
        jar = Path.of(jarProperty);
    }

    @AfterEach
    void stop() throws IOException {
        for (StalledPeer flooder : flooders) {
            flooder.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServerWithA128MiBHeapServesAliceThroughAMinuteOfNonReadingFloods() throws Exception {
        Path pki = tmp.resolve("demo");
        int port = freePort();
        server = LineProcess.start(
                "demo",
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-jar",
                        jar.toString(),
                        "demo",
                        "--dir",
                        pki.toString(),
                        "--listen",
                        "127.0.0.1:" + port,
                        "--admin",
                        "127.0.0.1:" + freePort()),
                tmp.resolve("demo.err"));
        server.awaitLine("Chat from two other terminals", Duration.ofSeconds(30));
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        PkiLayout layout = new PkiLayout(pki);
        SSLContext bob = clientTls(layout, "bob");

        try (ChatClient alice = ChatClient.connect(
                ClientOptions.builder()
                        .server("127.0.0.1", port)
                        .ca(layout.caCert())
                        .certificate(layout.userCert("alice"), layout.userKey("alice"))
                        .reconnectFor(Duration.ZERO)
                        .build(),
                ChatListener.NONE)) {
            AtomicLong pings = new AtomicLong();
            // a PING every 250 ms (within the request rate), each answered within ANSWER, for the whole FLOOD
            await().during(FLOOD)
                    .atMost(FLOOD.plusSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        keepFlooding(at, bob);
                        Duration rtt = alice.ping().get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                        pings.incrementAndGet();
                        return rtt.compareTo(ANSWER) < 0;
                    });
            assertThat(pings.get()).as("PINGs answered during the flood").isGreaterThan(FLOOD.toSeconds());
            assertThat(flooders.stream().mapToLong(StalledPeer::written).sum())
                    .as("bytes the flooders got in: the flood happened")
                    .isGreaterThan(1 << 20);
        }
        assertThat(server.isAlive())
                .as("the server is still running; stderr: %s", server.stderr())
                .isTrue();
    }

    /** Keeps {@link #FLOODERS} flooders going: one that the server cut off is replaced. */
    private void keepFlooding(InetSocketAddress at, SSLContext tls) throws IOException {
        for (StalledPeer cut : flooders.stream().filter(StalledPeer::failed).toList()) {
            cut.close();
            flooders.remove(cut);
        }
        while (flooders.size() < FLOODERS) {
            flooders.add(StalledPeer.connect(at, tls)
                    .flood(Long.MAX_VALUE, n -> StalledPeer.lines("{\"op\":\"LIST\",\"id\":\"" + n + "\"}", 100)));
        }
    }

    private static SSLContext clientTls(PkiLayout pki, String user) throws IOException {
        TrustMaterial trust = TrustMaterial.load(pki.caCert(), null);
        return ((JdkSslContext) TlsContexts.client(new ClientTlsConfig(
                        trust,
                        pki.userCert(user),
                        pki.userKey(user),
                        SpiffeId.Kind.NODE,
                        TlsVersion.TLS13,
                        SslProvider.JDK)))
                .context();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
