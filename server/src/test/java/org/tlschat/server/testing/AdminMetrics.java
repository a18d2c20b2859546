package org.tlschat.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a server's /metrics over real HTTP and parses the Prometheus text format into
 * {@code "name{label=\"value\"}" -> value} (the sample line's key exactly as written).
 */
public final class AdminMetrics {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminMetrics() {}

    public static HttpResponse<String> get(InetSocketAddress admin, String path) {
        return send(HttpRequest.newBuilder(uri(admin, path))
                .GET()
                .timeout(Duration.ofSeconds(10))
                .build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("admin HTTP request " + request + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static URI uri(InetSocketAddress admin, String path) {
        return URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + path);
    }

    /** Every sample of /metrics; comment lines (# HELP, # TYPE) are left out. */
    public static Map<String, Double> scrape(InetSocketAddress admin) {
        HttpResponse<String> response = get(admin, "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The value of one sample, or 0 when the server has not written it (a counter not yet touched). */
    public static double value(InetSocketAddress admin, String key) {
        return scrape(admin).getOrDefault(key, 0.0);
    }

    /** Sum of the samples of the counter {@code name} (e.g. every reason of a labelled counter). */
    public static double sum(InetSocketAddress admin, String name) {
        return scrape(admin).entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }
}
