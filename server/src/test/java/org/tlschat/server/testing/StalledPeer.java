package org.tlschat.server.testing;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.tlschat.pki.testing.TestPki;

/**
 * A hostile peer over real TLS that writes and never reads: a raw {@link SSLSocket} with a tiny
 * receive buffer, so whatever the server answers piles up on the server's side. Its writes run on
 * a thread of their own, since they block once the server stops reading.
 */
public final class StalledPeer implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 4096;

    private final Socket tcp;
    private final OutputStream out;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private volatile boolean failed;
    private Thread writer;

    private StalledPeer(Socket tcp, SSLSocket tls) throws IOException {
        this.tcp = tcp;
        this.out = tls.getOutputStream();
    }

    /** Connects to {@code server} with {@code credentials} (none if null) and finishes the handshake. */
    public static StalledPeer connect(TestServer server, TestPki.Credentials credentials) throws IOException {
        return connect(
                server.address(), ((JdkSslContext) server.pki().clientTls(credentials, SslProvider.JDK)).context());
    }

    /** Connects to {@code at} with the client TLS {@code context} and finishes the handshake. */
    public static StalledPeer connect(InetSocketAddress at, SSLContext context) throws IOException {
        Socket tcp = new Socket();
        tcp.setReceiveBufferSize(RECEIVE_BUFFER); // before connect, so the window stays small
        tcp.connect(at, 5_000);
        SSLSocket tls =
                (SSLSocket) context.getSocketFactory().createSocket(tcp, at.getHostString(), at.getPort(), true);
        tls.startHandshake();
        return new StalledPeer(tcp, tls);
    }

    /**
     * Starts writing, without ever reading: batch {@code n} (from 0) is {@code batch.apply(n)}, until
     * {@code batches} were written, the server closes the connection, or {@link #close}.
     */
    public StalledPeer flood(long batches, LongFunction<String> batch) {
        writer = new Thread(
                () -> {
                    try {
                        for (long n = 0; n < batches; n++) {
                            byte[] bytes = batch.apply(n).getBytes(StandardCharsets.UTF_8);
                            out.write(bytes);
                            out.flush();
                            written.addAndGet(bytes.length);
                            lastProgress.set(System.nanoTime());
                        }
                    } catch (IOException | RuntimeException e) {
                        failed = true;
                    }
                },
                "stalled-peer");
        writer.setDaemon(true);
        writer.start();
        return this;
    }

    /** {@code count} copies of {@code line}, each with a newline: one batch. */
    public static String lines(String line, int count) {
        return (line + "\n").repeat(count);
    }

    /** Bytes written so far. */
    public long written() {
        return written.get();
    }

    /** True when the writes ended in an error: the server closed or reset the connection. */
    public boolean failed() {
        return failed;
    }

    /** True when no write completed for {@code quiet}: the server stopped reading (or the flood ended). */
    public boolean stalledFor(Duration quiet) {
        return System.nanoTime() - lastProgress.get() > quiet.toNanos();
    }

    /** Closes the TCP socket under the TLS one, which also ends a blocked write. */
    @Override
    public void close() throws IOException {
        tcp.close();
    }
}
