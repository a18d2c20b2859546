package org.tlschat.client.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What a run measured; fields a scenario does not measure are null. Printed as text or one JSON object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchResult(
        String scenario,
        List<String> servers,
        int sessions,
        double seconds,
        long sent,
        long published,
        long delivered,
        Long expectedDeliveries,
        @JsonProperty("published_per_second") Double publishedPerSecond,
        @JsonProperty("delivered_per_second") Double deliveredPerSecond,
        Long handshakes,
        @JsonProperty("handshakes_per_second") Double handshakesPerSecond,
        @JsonProperty("latency_us") Latency latencyMicros,
        Memory memory,
        Map<String, Long> errors) {

    /** Percentiles in microseconds. */
    public record Latency(
            long count,
            double p50,
            double p90,
            double p99,
            @JsonProperty("p99_9") double p999,
            double max) {
        static Latency of(Histogram nanos) {
            if (nanos.getTotalCount() == 0) {
                return null;
            }
            return new Latency(
                    nanos.getTotalCount(),
                    micros(nanos.getValueAtPercentile(50)),
                    micros(nanos.getValueAtPercentile(90)),
                    micros(nanos.getValueAtPercentile(99)),
                    micros(nanos.getValueAtPercentile(99.9)),
                    micros(nanos.getMaxValue()));
        }

        private static double micros(long nanos) {
            return Math.round(nanos / 100.0) / 10.0;
        }
    }

    /** Server memory growth while the sessions were open, per session (NaN when not exposed). */
    public record Memory(
            @JsonProperty("heap_bytes_per_session") double heapPerSession,
            @JsonProperty("resident_bytes_per_session") double residentPerSession,
            @JsonProperty("server_sessions") double serverSessions,
            @JsonProperty("heap_used_bytes") double heapUsed,
            @JsonProperty("resident_bytes") double resident) {}
}
