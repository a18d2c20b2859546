package org.tlschat.client.audit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.client.bench.ServerMemory;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

/**
 * What a peer that sends without reading costs the server, read from its admin /metrics (with
 * {@code --admin}): a sound server stops reading from such a peer, or cuts it, instead of
 * buffering its replies. The row passes when the server's memory grew by less than
 * {@link #BOUND_BYTES}, the server stopped taking in the flood (no byte accepted for
 * {@link #STALL}: it stopped reading, or closed the connections), and a new session is answered.
 */
final class MemoryAttacks {
    /** Connections that flood at once. */
    static final int FLOODERS = 4;
    /**
     * How long they flood at most: the flood ends sooner once the server has stopped taking it in
     * for {@link #STALL}, or once its memory grew past the bound (then the audit stops at once).
     */
    static final Duration FLOOD = Duration.ofSeconds(10);
    /** No byte of the flood accepted for this long: the server stopped reading, or cut the flooders. */
    static final Duration STALL = Duration.ofSeconds(2);
    /** Growth of the server's heap or resident memory above which the row fails. */
    static final long BOUND_BYTES = 64L << 20;

    /** A new connection during the flood must be answered within this (handshake and first answer). */
    static final Duration SERVED_WITHIN = Duration.ofSeconds(2);

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
    /** The flooders' socket receive buffer: small, so the server's replies pile up on its side. */
    private static final int RECEIVE_BUFFER = 4096;
    /** Request lines per write: LISTs, whose reply (USERS) is several times longer. */
    private static final int LINES_PER_WRITE = 200;

    private MemoryAttacks() {}

    /**
     * {@link #FLOODERS} TLS connections send LIST without reading, while the server's heap and
     * resident memory and the bytes it accepts are sampled; then a new session must still be
     * answered. In password mode the flooders stay unauthenticated (every request is answered
     * with an ERR).
     */
    static Result nonReadingFlood(AuditTarget t) throws Exception {
        if (t.admin() == null) {
            return Result.skip("no --admin given");
        }
        InetSocketAddress admin =
                new InetSocketAddress(t.admin().host(), t.admin().port());
        ServerMemory before = ServerMemory.read(admin);
        boolean passwordMode = t.passwordMode();
        byte[] batch = batch();
        List<Flooder> flooders = new ArrayList<>();
        double heapGrowth = 0;
        double residentGrowth = 0;
        long started = System.nanoTime();
        long elapsed;
        long sent = 0;
        long lastProgress = started;
        boolean stalled = false;
        String answered;
        try {
            for (int i = 0; i < FLOODERS; i++) {
                flooders.add(Flooder.start(t, passwordMode ? null : t.user("flood-" + i), batch));
            }
            do {
                Thread.sleep(SAMPLE_EVERY.toMillis());
                ServerMemory now = ServerMemory.read(admin);
                heapGrowth = Math.max(heapGrowth, growth(before.heapUsedBytes(), now.heapUsedBytes()));
                residentGrowth = Math.max(residentGrowth, growth(before.residentBytes(), now.residentBytes()));
                long total = flooders.stream().mapToLong(f -> f.sent).sum();
                long at = System.nanoTime();
                if (total != sent) {
                    sent = total;
                    lastProgress = at;
                }
                stalled = at - lastProgress >= STALL.toNanos();
                elapsed = at - started;
            } while (!stalled && elapsed < FLOOD.toNanos() && Math.max(heapGrowth, residentGrowth) <= BOUND_BYTES);
            answered = stillAnswered(t);
        } finally {
            flooders.forEach(Flooder::close);
        }
        boolean bounded = Math.max(heapGrowth, residentGrowth) <= BOUND_BYTES;
        String observed = String.format(
                Locale.ROOT,
                "heap +%s, resident +%s after %s; %s accepted from %d peers, %s; a new connection: %s",
                mib(heapGrowth),
                mib(residentGrowth),
                Attacks.seconds(Duration.ofNanos(elapsed)),
                mib(sent),
                flooders.size(),
                stalled ? "then no more (" + howStopped(flooders) + ")" : "still reading at the end",
                answered);
        return Result.passIf(bounded && stalled && answered.startsWith("answered in time"), observed);
    }

    /**
     * While the flooders are still connected: a new session is answered (PONG), or in password
     * mode a new connection gets AUTH_REQUIRED, within {@link #SERVED_WITHIN}.
     */
    private static String stillAnswered(AuditTarget t) {
        long start = System.nanoTime();
        try (Probe probe = t.session("flood-check")) {
            Probe connection = probe != null ? probe : t.connect(null);
            try {
                if (probe == null) {
                    ServerFrame first = connection.read();
                    return first instanceof ServerFrame.AuthRequired
                            ? answeredIn("AUTH_REQUIRED", start)
                            : "no AUTH_REQUIRED (" + (first == null ? "nothing" : Probe.describe(first)) + ")";
                }
                connection.send(new Request.Ping("audit"));
                for (ServerFrame frame = connection.read(); frame != null; frame = connection.read()) {
                    if (frame instanceof ServerFrame.Pong) {
                        return answeredIn("PONG", start);
                    }
                }
                return "no PONG within " + Attacks.seconds(Probe.READ_WAIT);
            } finally {
                connection.close();
            }
        } catch (IOException e) {
            return "not served (" + e.getMessage() + ")";
        }
    }

    /** "2 cut, 2 blocked": flooders the server closed, and flooders stuck in a full send buffer. */
    private static String howStopped(List<Flooder> flooders) {
        long cut = flooders.stream().filter(f -> f.cut != null).count();
        String reason = flooders.stream()
                .map(f -> f.cut)
                .filter(Objects::nonNull)
                .findFirst()
                .map(r -> " (" + r + ")")
                .orElse("");
        return cut + " cut" + reason + ", " + (flooders.size() - cut) + " blocked";
    }

    private static String answeredIn(String what, long start) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return (took.compareTo(SERVED_WITHIN) <= 0 ? "answered in time: " : "answered late: ") + what + " in "
                + Attacks.seconds(took);
    }

    private static byte[] batch() {
        FrameCodec codec = new FrameCodec(1 << 20);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (int i = 0; i < LINES_PER_WRITE; i++) {
            Request request = new Request.ListUsers("l" + i, null);
            ByteBuf encoded = codec.encode(request, UnpooledByteBufAllocator.DEFAULT);
            try {
                byte[] bytes = new byte[encoded.readableBytes()];
                encoded.readBytes(bytes);
                lines.writeBytes(bytes);
            } finally {
                encoded.release();
            }
        }
        return lines.toByteArray();
    }

    private static double growth(double before, double now) {
        return Double.isNaN(before) || Double.isNaN(now) ? 0 : Math.max(0, now - before);
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20));
    }

    /** One TLS connection with a tiny receive buffer that writes request lines and never reads. */
    private static final class Flooder implements AutoCloseable {
        private final Socket tcp;
        private final Thread writer;
        private volatile long sent;
        /** Set when the server ended the connection while it was flooding (before {@link #close()}). */
        private volatile String cut;

        private volatile boolean closing;

        private Flooder(Socket tcp, SSLSocket tls, byte[] batch) {
            this.tcp = tcp;
            this.writer = new Thread(
                    () -> {
                        try {
                            OutputStream out = tls.getOutputStream();
                            while (!Thread.currentThread().isInterrupted()) {
                                out.write(batch);
                                out.flush();
                                sent += batch.length;
                            }
                        } catch (IOException e) {
                            if (!closing) {
                                cut = String.valueOf(e.getMessage()); // a sound server may cut it
                            }
                        }
                    },
                    "tlschat-audit-flood");
            writer.setDaemon(true);
            writer.start();
        }

        static Flooder start(AuditTarget t, AuditTarget.Credentials credentials, byte[] batch) throws IOException {
            Socket tcp = new Socket();
            try {
                tcp.setReceiveBufferSize(RECEIVE_BUFFER);
                tcp.connect(
                        new InetSocketAddress(t.server().host(), t.server().port()), (int) Probe.READ_WAIT.toMillis());
                SSLSocket tls = (SSLSocket) t.tls(credentials)
                        .getSocketFactory()
                        .createSocket(tcp, t.server().host(), t.server().port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setProtocols(new String[] {"TLSv1.3"});
                tls.setSSLParameters(parameters);
                tls.setSoTimeout((int) Probe.READ_WAIT.toMillis());
                tls.startHandshake();
                // the first line (WELCOME, or AUTH_REQUIRED in password mode): the session is open
                String first = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (first == null) {
                    throw new IOException("a flooding connection was closed before its first frame");
                }
                return new Flooder(tcp, tls, batch);
            } catch (IOException | RuntimeException e) {
                tcp.close();
                throw e;
            }
        }

        /** Closes the TCP socket under the TLS one: this unblocks a writer stuck in a full send buffer. */
        @Override
        public void close() {
            closing = true;
            writer.interrupt();
            try {
                tcp.close();
            } catch (IOException ignored) {
                // already closed
            }
            try {
                writer.join(Probe.READ_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
