package org.tlschat.server.testing;

import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.pki.testing.TestPki;

/**
 * The real {@code openssl s_client -quiet} as a third-party tlschat client: lines typed on its
 * stdin, server lines read from its stdout with a bounded wait. {@link #close()} kills it.
 */
public final class OpensslClient implements AutoCloseable {
    public static final String OPENSSL = "/usr/bin/openssl";
    private static final FrameCodec CODEC = new FrameCodec();
    /** Marks the end of stdout in the line queue. */
    private static final String EOF = new String("<end of stream>");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private OpensslClient(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "openssl-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to {@code server} presenting {@code user}'s certificate, trusting {@code caPem}. */
    public static OpensslClient connect(InetSocketAddress server, Path caPem, TestPki.Credentials user,
                                        Path stderrFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(OPENSSL, "s_client", "-quiet", "-verify_return_error",
                "-connect", server.getHostString() + ":" + server.getPort(), "-CAfile", caPem.toString()));
        if (user != null) {
            command.addAll(List.of("-cert", user.cert().toString(), "-key", user.key().toString()));
        }
        Process process = new ProcessBuilder(command)
                .redirectError(stderrFile.toFile())
                .start();
        return new OpensslClient(process);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process was killed: end of stream
        } finally {
            lines.add(EOF);
        }
    }

    /** Types one line (a newline is added). */
    public OpensslClient typeLine(String line) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return this;
    }

    /** The next line on stdout within {@code wait}; fails on timeout or end of output. */
    public String nextLine(Duration wait) {
        try {
            String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                fail("openssl printed no line within " + wait + "; so far: " + seen);
            }
            if (line == EOF) {
                lines.add(EOF);
                fail("openssl output ended; so far: " + seen);
            }
            seen.add(line);
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips lines until one that decodes to a frame of {@code type}, within {@code wait} per line. */
    public <T extends ServerFrame> T await(Class<T> type, Duration wait) {
        while (true) {
            ServerFrame frame = decode(nextLine(wait));
            if (type.isInstance(frame)) {
                return type.cast(frame);
            }
        }
    }

    /** True once stdout ended (the server closed and openssl exited, or it was killed) within {@code wait}. */
    public boolean outputEndsWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == EOF) {
                    lines.add(EOF);
                    return true;
                }
                if (line != null) {
                    seen.add(line);
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every line read so far. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    public Process process() {
        return process;
    }

    public static ServerFrame decode(String line) {
        try {
            return CODEC.decodeServerFrame(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8));
        } catch (FrameException e) {
            throw new AssertionError("not a server frame: " + line, e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
