package org.tlschat.client.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A server's memory and session gauges, read from its admin /metrics (also used by {@code tlschat audit}). */
public record ServerMemory(double heapUsedBytes, double residentBytes, double sessions) {
    static final String HEAP_USED = "tlschat_jvm_heap_used_bytes";
    static final String RESIDENT = "tlschat_process_resident_memory_bytes";
    static final String SESSIONS = "tlschat_sessions";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static ServerMemory read(InetSocketAddress admin) {
        URI uri = URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + "/metrics");
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            String text = response.body();
            return new ServerMemory(sample(text, HEAP_USED), sample(text, RESIDENT), sample(text, SESSIONS));
        } catch (IOException e) {
            // the JDK's HttpClient says "null" for a refused connection: name the exception then
            throw new IllegalStateException(
                    "cannot read " + uri + ": "
                            + (e.getMessage() != null
                                    ? e.getMessage()
                                    : e.getClass().getSimpleName()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }

    /** The value of an unlabelled sample, or NaN when the server does not expose it. */
    private static double sample(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        return Double.NaN;
    }
}
