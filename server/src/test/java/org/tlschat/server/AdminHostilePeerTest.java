package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestServer;

/**
 * The admin HTTP port against peers that do not behave like a scraper: a request trickled byte by
 * byte (slowloris), more connections than the cap, and thousands of pipelined requests from a peer
 * that does not read the answers. Raw sockets, the server's real listener and its default limits.
 */
class AdminHostilePeerTest {
    /** The default request timeout (10 s) and some slack. */
    private static final Duration TIMEOUT_AND_SLACK = Duration.ofSeconds(15);
    /** The default cap on admin connections. */
    private static final int CAP = 16;

    @RegisterExtension
    final TestServer server = TestServer.perTest();

    InetSocketAddress admin;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void readAdminAddress() {
        admin = server.server().adminAddress();
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(AdminHostilePeerTest::closeQuietly);
    }

    @Test
    void aRequestTrickledOneHeaderEveryHalfSecondIsClosedAfterTheRequestTimeout() throws Exception {
        Socket socket = open();
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: admin\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> readToEnd(socket));
        AtomicInteger headers = new AtomicInteger();
        long start = System.nanoTime();

        await("the server closes the trickling connection")
                .atMost(TIMEOUT_AND_SLACK)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!closed.isDone()) {
                        try {
                            out.write(("X-Trickle-" + headers.incrementAndGet() + ": 1\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        } catch (IOException e) {
                            // the server is gone: the reader sees it too
                        }
                    }
                    return closed.isDone();
                });

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("not before the timeout: %d headers trickled", headers.get())
                .isGreaterThan(Duration.ofSeconds(8));
    }

    @Test
    void theConnectionBeyondTheCapIsAnswered503AndClosedAndHealthzAnswersOnceTheOthersClose() throws Exception {
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            held.add(open());
        }

        Socket extra = open();
        BufferedReader in = reader(extra);
        String status;
        try {
            status = in.readLine();
        } catch (SocketTimeoutException e) {
            status = "no answer within 5 s";
        }

        assertThat(status).as("the connection beyond the cap").startsWith("HTTP/1.1 503");
        assertThat(readsToEnd(extra)).as("closed after the 503").isTrue();

        held.forEach(AdminHostilePeerTest::closeQuietly);
        await("/healthz answers again once the held connections are gone")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(AdminMetrics.get(admin, "/healthz").statusCode())
                                .isEqualTo(200));
    }

    @Test
    void tenThousandPipelinedRequestsFromAPeerThatDoesNotReadStopTheServerReadingInsteadOfQueueing() throws Exception {
        Socket socket = open();
        // 4 KiB each (a padding header, within the request bound): 40 MiB in all, more than the
        // socket buffers of both ends hold, so the writer finishes only if the server reads on
        byte[] request = ("GET /metrics HTTP/1.1\r\nHost: admin\r\nX-Padding: " + "x".repeat(4_000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 10_000; i++) {
                    out.write(request);
                    sent.incrementAndGet();
                }
                out.flush();
            } catch (IOException e) {
                // closed by the server or by the test
            }
        });

        AtomicInteger lastCount = new AtomicInteger(-1);
        AtomicLong lastChange = new AtomicLong();
        await("the writer is done, or stalled for 2 s: the server stopped reading")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    int now = sent.get();
                    if (now != lastCount.getAndSet(now)) {
                        lastChange.set(System.nanoTime());
                    }
                    return writer.isDone() || System.nanoTime() - lastChange.get() > 2_000_000_000L;
                });
        assertThat(writer.isDone())
                .as("the writer finished: the server read all %d requests and queued their answers", sent.get())
                .isFalse();
        assertThat(AdminMetrics.get(admin, "/healthz").statusCode())
                .as("others are still served meanwhile")
                .isEqualTo(200);

        BufferedReader in = reader(socket);
        assertThat(in.readLine())
                .as("the pipelined requests are answered in order as the peer reads")
                .isEqualTo("HTTP/1.1 200 OK");
        socket.close();
        await().atMost(Duration.ofSeconds(5)).until(writer::isDone);
    }

    @Test
    void aRequestWithHeadersPastTheBoundIsAnswered400AndClosed() throws Exception {
        Socket socket = open();
        socket.getOutputStream()
                .write(("GET /healthz HTTP/1.1\r\nHost: admin\r\nX-Big: " + "x".repeat(64 * 1024) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));

        assertThat(reader(socket).readLine()).startsWith("HTTP/1.1 400");
        assertThat(readsToEnd(socket)).as("closed after the 400").isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        sockets.add(socket);
        socket.connect(admin, 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    /** True when the server ends the connection (EOF or reset) within the socket's timeout. */
    private static boolean readsToEnd(Socket socket) {
        try {
            while (socket.getInputStream().read() >= 0) {
                // skip the rest of the answer
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Reads until the server ends the connection, however long that takes. */
    private static void readToEnd(Socket socket) {
        try {
            socket.setSoTimeout(0);
            while (socket.getInputStream().read() >= 0) {
                // a trickled request gets no answer until complete
            }
        } catch (IOException e) {
            // reset or closed: ended either way
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
