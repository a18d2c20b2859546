package org.tlschat.server.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node joins its cluster.
 *
 * @param listen    the cluster port (TLS, mutual; default 7800)
 * @param advertise the address peers should dial, when it differs from the bind address (NAT, containers); null = bind address
 * @param peers     static discovery (TCPPING); empty when {@code dnsName} is used
 * @param dnsName   DNS discovery (DNS_PING): a name whose A records are all replicas; null for static
 * @param name      the cluster name; nodes with other names never join
 */
public record ClusterConfig(
        InetSocketAddress listen, InetAddress advertise, List<InetSocketAddress> peers, String dnsName, String name) {
    public static final int DEFAULT_PORT = 7800;
    public static final String DEFAULT_NAME = "tlschat";
    /** A node silent this long is suspected (heartbeats every 2 s). */
    public static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(6);
    /**
     * How long a node waits for its peers to accept a message before the sender gets ERR: longer
     * than failure detection (about 8 s), so a peer that died is dropped from the view, and the
     * message counts as delivered to everyone still there, before a sender is told it failed.
     */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(12);

    public ClusterConfig {
        Objects.requireNonNull(listen, "listen");
        peers = List.copyOf(peers);
        name = name == null ? DEFAULT_NAME : name;
    }
}
