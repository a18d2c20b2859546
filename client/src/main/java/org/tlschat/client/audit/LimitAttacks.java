package org.tlschat.client.audit;

import static org.tlschat.client.audit.Attacks.seconds;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.ServerFrame;

/** Quotas a sound server enforces on what one session or one address may ask for or hold. */
final class LimitAttacks {
    /** PINGs of the op flood when the server announces no request burst: far over any sane budget. */
    static final int FLOOD = 2_000;
    /** Silent TCP connections: over the default unauthenticated cap per address (128), bounded. */
    static final int SILENT = 300;
    /** How long the server may hold a connection that never starts TLS: the default welcome deadline and more. */
    static final Duration HELD_AT_MOST = Duration.ofSeconds(20);

    private LimitAttacks() {}

    /** Twice the announced request burst of PINGs at once (or {@link #FLOOD}): some RATE_LIMITED, still connected. */
    static Result opFlood(AuditTarget t) throws Exception {
        try (Probe probe = t.session("op-flood")) {
            if (probe == null) {
                return Result.skip(AuditTarget.NO_SESSION);
            }
            ServerFrame.FrameLimits limits = probe.welcome().limits();
            boolean announced = limits != null
                    && limits.requestRate() != null
                    && limits.requestRate() > 0
                    && limits.requestBurst() != null;
            int pings = announced ? Math.min(5 * FLOOD, 2 * limits.requestBurst() + 100) : FLOOD;
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < pings; i++) {
                lines.append("{\"op\":\"PING\",\"id\":\"f").append(i).append("\"}\n");
            }
            probe.sendBytes(lines.toString().getBytes(StandardCharsets.UTF_8));
            int pongs = 0;
            int limited = 0;
            for (int i = 0; i < pings; i++) {
                ServerFrame frame = probe.read();
                if (frame == null) {
                    return Result.fail("closed or silent after " + i + " of " + pings + " replies");
                }
                if (frame instanceof ServerFrame.Pong) {
                    pongs++;
                } else if (frame instanceof ServerFrame.Err err && err.code() == ErrorCode.RATE_LIMITED) {
                    limited++;
                } else if (frame instanceof ServerFrame.Err err && err.fatal()) {
                    return Result.fail("ERR " + err.code() + " (fatal) after " + i + " replies");
                }
            }
            String observed = pings + " PINGs at once: " + pongs + " PONG, " + limited + " ERR RATE_LIMITED";
            if (limited == 0) {
                return Result.fail(observed + " (no request limit)");
            }
            return Result.passIf(stillAnswers(probe), observed + ", connection kept");
        }
    }

    /** True when a PING gets its PONG within a few seconds, once the budget refilled. */
    private static boolean stillAnswers(Probe probe) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            probe.send("{\"op\":\"PING\",\"id\":\"after" + i + "\"}");
            ServerFrame frame = probe.read();
            if (frame instanceof ServerFrame.Pong) {
                return true;
            }
            if (frame == null || frame instanceof ServerFrame.Err err && err.fatal()) {
                return false;
            }
            sleep(Duration.ofMillis(200));
        }
        return false;
    }

    /**
     * {@link #SILENT} TCP connections that never send a byte: those past the server's cap on
     * connections without a session are closed at once, the rest within the welcome deadline.
     */
    static Result silentConnections(AuditTarget t) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SILENT; i++) {
                Socket socket = new Socket();
                socket.connect(
                        new InetSocketAddress(t.server().host(), t.server().port()), (int) Probe.READ_WAIT.toMillis());
                sockets.add(socket);
            }
            sleep(Duration.ofMillis(100)); // refusals happen at accept: well before any handshake timeout
            List<Socket> held = new ArrayList<>();
            for (Socket socket : sockets) {
                if (!closed(socket, Duration.ofMillis(1))) {
                    held.add(socket);
                }
            }
            int refused = sockets.size() - held.size();
            if (refused == 0) {
                return Result.fail("all " + SILENT + " held: no cap on connections without a session");
            }
            long start = System.nanoTime();
            long end = start + HELD_AT_MOST.toNanos();
            for (Socket socket : held) {
                long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
                if (!closed(socket, Duration.ofMillis(left))) {
                    return Result.fail(refused + " closed at once, but one of the other " + held.size()
                            + " still open after " + seconds(HELD_AT_MOST));
                }
            }
            return Result.pass(refused + " of " + SILENT + " closed at once, the other " + held.size() + " within "
                    + seconds(Duration.ofNanos(System.nanoTime() - start).plusSeconds(1)));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** End of stream or a reset within {@code wait}: closed by the server. */
    private static boolean closed(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
