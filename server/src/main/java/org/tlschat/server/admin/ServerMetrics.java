package org.tlschat.server.admin;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.server.cluster.ClusterMetrics;
import org.tlschat.server.hub.HubMetrics;

/** The server's counters and gauges, exposed in the Prometheus text format on /metrics. */
public final class ServerMetrics implements HubMetrics, ClusterMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Gauge connections = Gauge.builder()
            .name("tlschat_connections")
            .help("Open client connections (TLS established or not)")
            .register(registry);
    private final Counter connectionsClosed = Counter.builder()
            .name("tlschat_connections_closed_total")
            .help("Closed client connections by reason")
            .labelNames("reason")
            .register(registry);
    private final Counter connectionsRefused = Counter.builder()
            .name("tlschat_connections_refused_total")
            .help("TCP connections closed at accept, by the limit that refused them")
            .labelNames("limit")
            .register(registry);
    private final Gauge sessions = Gauge.builder()
            .name("tlschat_sessions")
            .help("Authenticated sessions on this node")
            .register(registry);
    private final Counter messagesIn = Counter.builder()
            .name("tlschat_messages_in_total")
            .help("Messages accepted from senders on this node")
            .register(registry);
    private final Counter messagesOut = Counter.builder()
            .name("tlschat_messages_out_total")
            .help("Message deliveries to sessions on this node")
            .register(registry);
    private final Counter errors = Counter.builder()
            .name("tlschat_errors_total")
            .help("ERR frames sent, by code")
            .labelNames("code")
            .register(registry);
    private final Counter authAttempts = Counter.builder()
            .name("tlschat_auth_attempts_total")
            .help("Password-mode AUTH attempts by result: ok, wrong, locked (too many wrong passwords), busy")
            .labelNames("result")
            .register(registry);
    private final Counter handshakeFailures = Counter.builder()
            .name("tlschat_tls_handshake_failures_total")
            .help("Failed TLS handshakes by reason")
            .labelNames("reason")
            .register(registry);
    private final Gauge tlsProvider = Gauge.builder()
            .name("tlschat_tls_provider")
            .help("The TLS implementation in use (value 1)")
            .labelNames("provider")
            .register(registry);

    private final GaugeWithCallback heapUsed = GaugeWithCallback.builder()
            .name("tlschat_jvm_heap_used_bytes")
            .help("JVM heap in use (MemoryMXBean)")
            .callback(cb -> cb.call(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()))
            .register(registry);
    private final GaugeWithCallback resident = GaugeWithCallback.builder()
            .name("tlschat_process_resident_memory_bytes")
            .help("Resident set size of the server process (Linux /proc/self/statm; NaN elsewhere)")
            .callback(cb -> cb.call(residentBytes()))
            .register(registry);

    private final Gauge clusterMembers = Gauge.builder()
            .name("tlschat_cluster_members")
            .help("Members of the cluster view, this node included")
            .register(registry);
    private final Gauge clusterViewId = Gauge.builder()
            .name("tlschat_cluster_view_id")
            .help("Id of the current cluster view")
            .register(registry);
    private final Counter forwarded = Counter.builder()
            .name("tlschat_cluster_forwarded_total")
            .help("Chat messages forwarded to a peer node")
            .labelNames("peer")
            .register(registry);
    private final Counter received = Counter.builder()
            .name("tlschat_cluster_received_total")
            .help("Chat messages received from a peer node")
            .labelNames("peer")
            .register(registry);
    private final Counter sentBytes = Counter.builder()
            .name("tlschat_cluster_sent_bytes_total")
            .help("Bytes sent to peer nodes on the cluster bus, by message kind (JSON payload, before TLS)")
            .labelNames("kind")
            .register(registry);

    @Override
    public void view(long viewId, int members) {
        clusterViewId.set(viewId);
        clusterMembers.set(members);
    }

    @Override
    public void forwarded(String peer) {
        forwarded.labelValues(peer).inc();
    }

    @Override
    public void received(String peer) {
        received.labelValues(peer).inc();
    }

    @Override
    public void sent(String kind, int bytes) {
        sentBytes.labelValues(kind).inc(bytes);
    }

    /** Reports the number of users online anywhere in the cluster, read at each scrape. */
    public void usersOnline(IntSupplier users) {
        GaugeWithCallback.builder()
                .name("tlschat_users_online")
                .help("Users with at least one session anywhere in the cluster")
                .callback(cb -> cb.call(users.getAsInt()))
                .register(registry);
    }

    /** Reports the bytes queued for all client connections and not yet written to their sockets, read at each scrape. */
    public void outboundPending(LongSupplier bytes) {
        GaugeWithCallback.builder()
                .name("tlschat_outbound_pending_bytes")
                .help("Bytes queued for client connections and not yet written to their sockets")
                .callback(cb -> cb.call(bytes.getAsLong()))
                .register(registry);
    }

    public void tlsProvider(String provider) {
        tlsProvider.labelValues(provider).set(1);
    }

    public void connectionOpened() {
        connections.inc();
    }

    public void connectionClosed(String reason) {
        connections.dec();
        connectionsClosed.labelValues(reason).inc();
    }

    public void connectionRefused(String limit) {
        connectionsRefused.labelValues(limit).inc();
    }

    public void handshakeFailed(String reason) {
        handshakeFailures.labelValues(reason).inc();
    }

    /** One AUTH answered: {@code ok}, {@code wrong}, {@code locked} or {@code busy}. */
    public void authAttempt(String result) {
        authAttempts.labelValues(result).inc();
    }

    public void error(ErrorCode code) {
        errors.labelValues(code.name()).inc();
    }

    @Override
    public void sessionOpened() {
        sessions.inc();
    }

    @Override
    public void sessionClosed() {
        sessions.dec();
    }

    @Override
    public void messageIn() {
        messagesIn.inc();
    }

    @Override
    public void messagesOut(int deliveries) {
        messagesOut.inc(deliveries);
    }

    private static double residentBytes() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/self/statm")).split(" ")[1]) * 4096.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public String contentType() {
        return writer.getContentType();
    }

    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
