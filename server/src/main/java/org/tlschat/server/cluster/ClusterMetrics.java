package org.tlschat.server.cluster;

/** What the cluster bus reports to the metrics registry. */
public interface ClusterMetrics {
    void view(long viewId, int members);

    void forwarded(String peer);

    void received(String peer);

    /** One message of {@code kind} (snapshot, delta, deliver, ...) of {@code bytes} bytes sent to a peer. */
    void sent(String kind, int bytes);
}
