package org.tlschat.client.audit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;

/**
 * One blocking TLS connection that can misbehave: it sends raw lines and reads server frames with
 * a bounded wait. What the server did is reported as a short text: the frame, "refused (alert)",
 * "closed" or "no answer".
 */
final class Probe implements AutoCloseable {
    static final Duration READ_WAIT = Duration.ofSeconds(10);
    private static final FrameCodec CODEC = new FrameCodec(1 << 20);

    private final Socket tcp;
    private final SSLSocket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private boolean timedOut;
    private ServerFrame.Welcome welcome;

    private Probe(Socket tcp, SSLSocket socket) throws IOException {
        this.tcp = tcp;
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the client side of the handshake; the server's verdict comes on the first read. */
    static Probe open(SSLContext context, HostPort server, List<String> protocols) throws IOException {
        return open(context, server, protocols, 0);
    }

    /**
     * Like {@link #open(SSLContext, HostPort, List)}, with a TCP receive buffer of {@code receiveBuffer}
     * bytes (0: the system's): a small one makes a peer that does not read fill up fast.
     */
    static Probe open(SSLContext context, HostPort server, List<String> protocols, int receiveBuffer)
            throws IOException {
        Socket tcp = new Socket();
        if (receiveBuffer > 0) {
            tcp.setReceiveBufferSize(receiveBuffer); // before connect, so the TCP window stays small
        }
        tcp.connect(new InetSocketAddress(server.host(), server.port()), (int) READ_WAIT.toMillis());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, server.host(), server.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(protocols.toArray(String[]::new));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout((int) READ_WAIT.toMillis());
        socket.startHandshake();
        return new Probe(tcp, socket);
    }

    Probe send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    Probe send(Request request) throws IOException {
        ByteBuf encoded = CODEC.encode(request, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            return sendBytes(bytes);
        } finally {
            encoded.release();
        }
    }

    Probe sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next frame; null when the connection ended or nothing came within the wait. */
    ServerFrame read() throws IOException {
        String line;
        try {
            line = in.readLine();
        } catch (SocketTimeoutException e) {
            timedOut = true;
            return null;
        }
        if (line == null) {
            return null;
        }
        try {
            return CODEC.decodeServerFrame(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8));
        } catch (FrameException e) {
            throw new IOException("the server sent a line that is not a frame: " + e.getMessage(), e);
        }
    }

    /** Reads until an ERR with {@code code} comes or the connection ends; returns it or null. */
    ServerFrame.Err awaitErr(ErrorCode code) throws IOException {
        for (ServerFrame frame = read(); frame != null; frame = read()) {
            if (frame instanceof ServerFrame.Err err && err.code() == code) {
                return err;
            }
        }
        return null;
    }

    /**
     * Writes batches on a thread of its own and never reads. The future completes with the
     * {@link System#nanoTime} at which a write failed: the server closed the connection.
     */
    CompletableFuture<Long> floodWithoutReading(LongFunction<String> batch) {
        CompletableFuture<Long> closed = new CompletableFuture<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        for (long n = 0; ; n++) {
                            out.write(batch.apply(n).getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } catch (IOException | RuntimeException e) {
                        closed.complete(System.nanoTime());
                    }
                },
                "tlschat-audit-flood");
        writer.setDaemon(true);
        writer.start();
        return closed;
    }

    /** Every frame that arrives until none came for {@code quiet}, or the connection ended. */
    List<ServerFrame> drain(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        List<ServerFrame> frames = new ArrayList<>();
        for (ServerFrame frame = read(); frame != null; frame = read()) {
            frames.add(frame);
        }
        return frames;
    }

    /** What the server answered first: a frame's type, or how it refused. */
    String firstAnswer() {
        try {
            ServerFrame frame = read();
            if (frame instanceof ServerFrame.Welcome w) {
                welcome = w;
            }
            return frame == null ? (timedOut ? "no answer" : "closed") : describe(frame);
        } catch (SSLException e) {
            return refused(e);
        } catch (IOException e) {
            return "closed (" + e.getMessage() + ")";
        }
    }

    /** The WELCOME this connection received, or null. */
    ServerFrame.Welcome welcome() {
        return welcome;
    }

    /** True when the server closed this connection within {@code wait}. */
    boolean closedWithin(Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            while (in.readLine() != null) {
                // skip whatever is still queued
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static String describe(ServerFrame frame) {
        if (frame instanceof ServerFrame.Err err) {
            return "ERR " + err.code() + (err.fatal() ? " (fatal)" : "");
        }
        return frame.getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    /** How a handshake was refused: "refused (alert unknown_ca)". */
    static String refused(SSLException e) {
        return "refused (" + alert(e) + ")";
    }

    /** "unknown_ca" from "Received fatal alert: unknown_ca", else the message. */
    static String alert(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("alert: ");
        return at >= 0 ? "alert " + message.substring(at + "alert: ".length()) : message;
    }

    @Override
    public void close() {
        try {
            tcp.close(); // first: a write blocked on a peer that stops reading would hold the TLS close
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
