package org.tlschat.server.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.NameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.hub.Hub;
import org.tlschat.server.hub.Peers;
import org.tlschat.server.hub.UserDelta;

/**
 * The Redis-free pub/sub between replicas: a JGroups channel over mutually authenticated TLS.
 *
 * <p>Every node keeps the cluster-wide presence table (in the {@link Hub}); presence changes go to
 * every peer, chat messages only to the peers that hold recipients, and every peer resends its
 * full state on each view change so the tables converge after joins, crashes and merges. All
 * traffic to a peer is unicast, so everything one node sends another arrives in the order sent.
 */
public final class ClusterBus implements Peers, Receiver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);
    /** Unknown fields are ignored, so a newer node can talk to an older one during a rolling upgrade. */
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String node;
    private final Hub hub;
    private final ClusterMetrics metrics;
    private final ClusterTls tls;
    private final JChannel channel;
    private final PendingAcks pending = new PendingAcks(ClusterConfig.DELIVERY_TIMEOUT);
    private final Map<String, Address> members = new ConcurrentHashMap<>();
    private final ExecutorService viewChanges =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("tlschat-cluster-views", true));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("tlschat-cluster-timer", true));
    private volatile View view;

    private ClusterBus(String node, Hub hub, ClusterMetrics metrics, ClusterTls tls, JChannel channel) {
        this.node = node;
        this.hub = hub;
        this.metrics = metrics;
        this.tls = tls;
        this.channel = channel;
    }

    /** Joins (or forms) the cluster; returns once this node is a member of a view. */
    public static ClusterBus join(
            ClusterConfig config, Path certPem, Path keyPem, TrustMaterial trust, Hub hub, ClusterMetrics metrics)
            throws Exception {
        ClusterTls tls = ClusterTls.create(certPem, keyPem, trust);
        JChannel channel = ClusterStack.build(config, tls);
        ClusterBus bus = new ClusterBus(hub.node(), hub, metrics, tls, channel);
        channel.name(hub.node()).setReceiver(bus);
        hub.connect(bus);
        try {
            channel.connect(config.name());
        } catch (Exception e) {
            bus.close();
            throw e;
        }
        bus.timer.scheduleAtFixedRate(bus.pending::expire, 1, 1, TimeUnit.SECONDS);
        log.info(
                "node {} joined cluster '{}' on port {}: {}",
                hub.node(),
                config.name(),
                config.listen().getPort(),
                bus.view);
        return bus;
    }

    public View view() {
        return view;
    }

    // ---- Peers: what the Hub asks of the cluster -------------------------------------------------

    @Override
    public CompletableFuture<Void> publish(long version, UserDelta delta) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        List<String> peers = List.copyOf(members.keySet());
        long seq = pending.open(peers, applied);
        Set<String> departed = new HashSet<>();
        for (String peer : peers) {
            Address to = members.get(peer);
            if (to == null) {
                departed.add(peer);
            } else {
                send(to, new ClusterMessage.Delta(node, version, seq, delta));
            }
        }
        pending.departed(seq, departed);
        return applied;
    }

    @Override
    public CompletableFuture<Void> deliver(List<String> nodes, ServerFrame.Msg msg) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long seq = pending.open(nodes, done);
        ClusterMessage.Deliver deliver =
                new ClusterMessage.Deliver(seq, msg.msg(), msg.from(), msg.to(), msg.text(), msg.ts());
        Set<String> departed = new HashSet<>();
        for (String peer : nodes) {
            Address to = members.get(peer);
            if (to == null) {
                departed.add(peer);
            } else if (send(to, deliver)) {
                metrics.forwarded(peer);
            }
        }
        pending.departed(seq, departed);
        return done;
    }

    // ---- Receiver: what the cluster tells this node ----------------------------------------------

    @Override
    public void receive(Message message) {
        ClusterMessage decoded;
        try {
            decoded =
                    JSON.readValue(message.getArray(), message.getOffset(), message.getLength(), ClusterMessage.class);
        } catch (IOException e) {
            log.warn("unreadable cluster message from {}: {}", message.getSrc(), e.getMessage());
            return;
        }
        String from = nameOf(message.getSrc());
        if (decoded instanceof ClusterMessage.Deliver d) {
            metrics.received(from);
            hub.deliverFromPeer(new ServerFrame.Msg(d.msg(), d.from(), d.to(), d.text(), d.ts()));
            send(message.getSrc(), new ClusterMessage.Ack(d.seq()));
        } else if (decoded instanceof ClusterMessage.Ack ack) {
            pending.acked(ack.seq(), from);
        } else if (decoded instanceof ClusterMessage.Delta delta) {
            boolean behind = hub.peerChanged(delta.node(), delta.version(), delta.change());
            send(message.getSrc(), new ClusterMessage.Ack(delta.seq()));
            if (behind) {
                log.info(
                        "presence delta {} of node {} does not follow the last one applied here: asking for its snapshot",
                        delta.version(),
                        from);
                send(message.getSrc(), new ClusterMessage.Resync(node));
            }
        } else if (decoded instanceof ClusterMessage.Snapshot snapshot) {
            hub.peerSnapshot(snapshot.node(), snapshot.version(), snapshot.users());
        } else if (decoded instanceof ClusterMessage.Resync) {
            resync(message.getSrc());
        }
    }

    @Override
    public void viewAccepted(View next) {
        View previous = view;
        view = next;
        viewChanges.execute(() -> onViewChange(previous, next));
    }

    private void onViewChange(View previous, View next) {
        Map<String, Address> now = new HashMap<>();
        for (Address a : next.getMembers()) {
            now.put(nameOf(a), a);
        }
        if (now.size() < next.size()) {
            log.error("two cluster members share a node name in {}: give each node its own --node-name", next);
        }
        Set<String> left = new HashSet<>(members.keySet());
        left.removeAll(now.keySet());
        Set<String> joined = new HashSet<>(now.keySet());
        joined.removeAll(members.keySet());
        joined.remove(node);
        members.keySet().retainAll(now.keySet());
        members.putAll(now);
        members.remove(node);
        metrics.view(next.getViewId().getId(), next.size());

        if (next instanceof MergeView) {
            log.info("cluster partitions merged: {}", next);
        }
        for (String peer : left) {
            log.info("node {} left the cluster (stopped, crashed or unreachable)", peer);
        }
        for (String peer : joined) {
            log.info("node {} joined the cluster", peer);
        }
        pending.gone(left);
        for (String peer : hub.knownNodes()) {
            if (!peer.equals(node) && !now.containsKey(peer)) {
                hub.peerLeft(peer);
            }
        }
        hub.withSnapshot((state, version) -> sendToAll(new ClusterMessage.Snapshot(node, version, state)));
    }

    /** Sends this node's snapshot to one peer that missed a delta, off the JGroups receiver thread. */
    private void resync(Address peer) {
        try {
            viewChanges.execute(() -> hub.withSnapshot(
                    (state, version) -> send(peer, new ClusterMessage.Snapshot(node, version, state))));
        } catch (RejectedExecutionException closing) {
            // leaving the cluster: the peer drops this node's state anyway
        }
    }

    // ---- sending -----------------------------------------------------------------------------------

    private void sendToAll(ClusterMessage message) {
        for (Address peer : members.values()) {
            send(peer, message);
        }
    }

    /**
     * Sends to a member. A failure is logged and otherwise left to the acknowledgements: a message
     * whose ack never comes fails at the deadline (or is settled when its node leaves the view),
     * so a failed send never turns into an OK.
     */
    private boolean send(Address to, ClusterMessage message) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(message);
            channel.send(new BytesMessage(to, bytes));
            metrics.sent(message.getClass().getSimpleName().toLowerCase(Locale.ROOT), bytes.length);
            return true;
        } catch (Exception e) {
            log.warn("could not send a cluster message to {}: {}", to, e.toString());
            return false;
        }
    }

    private static String nameOf(Address address) {
        String name = NameCache.get(address);
        return name != null ? name : String.valueOf(address);
    }

    /** Leaves the cluster: the peers drop this node's sessions at once instead of after the failure timeout. */
    @Override
    public void close() {
        timer.shutdownNow();
        viewChanges.shutdownNow();
        channel.close();
        tls.shutdown();
    }
}
