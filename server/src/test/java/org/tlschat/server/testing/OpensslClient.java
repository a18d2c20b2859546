package org.tlschat.server.testing;

import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.FrameException;
import org.tlschat.protocol.ServerFrame;

/**
 * The real {@code openssl s_client -quiet} as a third-party tlschat client: lines typed on its
 * stdin, server lines read one after the other from its stdout (a {@link LineProcess}) with a
 * bounded wait. {@link #close()} kills it.
 */
public final class OpensslClient implements AutoCloseable {
    public static final String OPENSSL = "/usr/bin/openssl";
    private static final FrameCodec CODEC = new FrameCodec();
    private static final Duration POLL = Duration.ofMillis(10);

    private final LineProcess process;
    /** How many stdout lines were read so far. */
    private int read;

    private OpensslClient(LineProcess process) {
        this.process = process;
    }

    /** Connects to {@code server} presenting {@code user}'s certificate, trusting {@code caPem}. */
    public static OpensslClient connect(InetSocketAddress server, Path caPem, TestPki.Credentials user, Path stderrFile)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                OPENSSL,
                "s_client",
                "-quiet",
                "-verify_return_error",
                "-connect",
                server.getHostString() + ":" + server.getPort(),
                "-CAfile",
                caPem.toString()));
        if (user != null) {
            command.addAll(
                    List.of("-cert", user.cert().toString(), "-key", user.key().toString()));
        }
        return new OpensslClient(LineProcess.start("openssl", command, stderrFile));
    }

    /** Types one line (a newline is added). */
    public OpensslClient typeLine(String line) throws IOException {
        process.typeLine(line);
        return this;
    }

    /** The next line on stdout within {@code wait}; fails on timeout or end of output. */
    public String nextLine(Duration wait) {
        List<String> lines = process.lines();
        try {
            within(wait).until(() -> lines.size() > read || process.outputEnded());
        } catch (ConditionTimeoutException e) {
            fail("openssl printed no line within " + wait + "; so far: " + seen());
        }
        if (lines.size() == read) {
            fail("openssl output ended; so far: " + seen());
        }
        return lines.get(read++);
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

    private static ConditionFactory within(Duration wait) {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(POLL).atMost(wait);
    }

    /** Every line read so far. */
    public List<String> seen() {
        return List.copyOf(process.lines().subList(0, read));
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
        process.close();
    }
}
