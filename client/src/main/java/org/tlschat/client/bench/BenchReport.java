package org.tlschat.client.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;
import org.tlschat.protocol.ErrorCode;

/** Prints a {@link BenchResult} for people (aligned lines) or for scripts (one JSON object). */
final class BenchReport {
    private static final ObjectMapper JSON =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private BenchReport() {}

    static void json(BenchResult result, PrintWriter out) {
        try {
            out.println(JSON.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
    }

    static void text(BenchResult result, String setup, PrintWriter out) {
        out.println(setup);
        out.printf(
                "%-14s %,.1f s on %s, %,d sessions%n",
                "ran", result.seconds(), String.join(",", result.servers()), result.sessions());
        if (result.publishedPerSecond() != null) {
            out.printf(
                    "%-14s %,14.0f msg/s  (%,d OK of %,d sent)%n",
                    "published", result.publishedPerSecond(), result.published(), result.sent());
            out.printf(
                    "%-14s %,14.0f msg/s  (%,d of %,d expected)%n",
                    "delivered", result.deliveredPerSecond(), result.delivered(), result.expectedDeliveries());
        }
        if (result.handshakesPerSecond() != null) {
            out.printf(
                    "%-14s %,14.0f /s     (%,d reached WELCOME)%n",
                    "handshakes", result.handshakesPerSecond(), result.handshakes());
        }
        BenchResult.Latency latency = result.latencyMicros();
        if (latency != null) {
            out.printf(
                    "%-14s p50 %,.0f  p90 %,.0f  p99 %,.0f  p99.9 %,.0f  max %,.0f  (%,d samples)%n",
                    "latency µs",
                    latency.p50(),
                    latency.p90(),
                    latency.p99(),
                    latency.p999(),
                    latency.max(),
                    latency.count());
        }
        BenchResult.Memory memory = result.memory();
        if (memory != null) {
            out.printf(
                    "%-14s heap %,.0f B/session, resident %,.0f B/session (server: %,.0f sessions, heap %,.0f MiB, resident %,.0f MiB)%n",
                    "server memory",
                    memory.heapPerSession(),
                    memory.residentPerSession(),
                    memory.serverSessions(),
                    memory.heapUsed() / (1 << 20),
                    memory.resident() / (1 << 20));
        }
        out.printf("%-14s %s%n", "errors", errors(result.errors()));
        if (result.errors().containsKey(ErrorCode.RATE_LIMITED.name())) {
            out.println("warning: the server rate-limited the publishers (RATE_LIMITED): "
                    + "benchmark a server started with --rate-limit 0 (tlschat server or tlschat demo)");
        }
    }

    private static String errors(Map<String, Long> errors) {
        return errors.isEmpty()
                ? "none"
                : errors.entrySet().stream()
                        .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
                        .collect(Collectors.joining(", "));
    }
}
