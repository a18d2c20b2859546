package org.tlschat.server.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.ObjLongConsumer;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.Timestamps;

/**
 * The controller: who is online, which sessions are in which room, and where a message goes.
 *
 * <p>The message path takes no lock: local sessions and room members live in concurrent sets, and
 * each sender's event loop routes its own messages, encoding each once and writing the same buffer
 * to every recipient. Presence changes (open, close, join, part, and the same from other nodes)
 * are serialised by one lock so that the cluster-wide {@link Directory} and the PRESENCE events
 * it implies stay consistent; they are rare next to messages.
 */
public final class Hub {
    private final String node;
    private final FrameCodec codec;
    private final ByteBufAllocator alloc;
    private final HubMetrics metrics;
    private final MessageIds messageIds;
    private final SecureRandom random = new SecureRandom();
    private final Directory directory = new Directory();
    private final Object presenceLock = new Object();
    private final Map<String, Set<Session>> sessionsByUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> membersByRoom = new ConcurrentHashMap<>();
    /** Numbers this node's deltas and snapshots for the peers (see {@link Directory}); under the lock. */
    private long version;

    private volatile Peers peers = Peers.NONE;

    public Hub(String node, FrameCodec codec, ByteBufAllocator alloc, HubMetrics metrics) {
        this.node = node;
        this.codec = codec;
        this.alloc = alloc;
        this.metrics = metrics;
        this.messageIds = new MessageIds(node);
    }

    public String node() {
        return node;
    }

    /** Connects the Hub to the other nodes of a cluster. */
    public void connect(Peers clusterPeers) {
        this.peers = clusterPeers;
    }

    // ---- local sessions -------------------------------------------------------------------

    /**
     * Creates and registers a session for an authenticated connection; its
     * {@link Session#knownEverywhere()} completes once every node of the cluster knows it.
     */
    public Session open(String user, Channel channel, BigInteger certificateSerial) {
        try {
            return open(user, channel, certificateSerial, 0);
        } catch (ChatException unlimited) {
            throw new IllegalStateException(unlimited);
        }
    }

    /**
     * Like {@link #open(String, Channel, BigInteger)}, but refused with {@code LIMIT_REACHED} when
     * {@code user} already holds {@code maxSessions} sessions anywhere in the cluster (0 = no limit).
     * Checked under the presence lock, so concurrent logins on this node cannot pass it together;
     * logins on two nodes at the same moment may.
     */
    public Session open(String user, Channel channel, BigInteger certificateSerial, int maxSessions)
            throws ChatException {
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        Session session = new Session(node + "-" + HexFormat.of().formatHex(suffix), user, channel, certificateSerial);
        CompletableFuture<Void> known;
        synchronized (presenceLock) {
            if (maxSessions > 0 && directory.total(user) >= maxSessions) {
                throw new ChatException(ErrorCode.LIMIT_REACHED, "sessions per user: " + maxSessions);
            }
            sessionsByUser
                    .computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet())
                    .add(session);
            known = changed(user, Set.of(), session);
        }
        metrics.sessionOpened();
        known.whenComplete((applied, late) -> session.knownEverywhere().complete(null));
        return session;
    }

    /** Removes a closed session: it leaves its rooms, and its user may go offline. */
    public void close(Session session) {
        synchronized (presenceLock) {
            Set<Session> own = sessionsByUser.get(session.user());
            if (own == null || !own.remove(session)) {
                return;
            }
            if (own.isEmpty()) {
                sessionsByUser.remove(session.user());
            }
            for (String room : session.rooms()) {
                removeMember(room, session);
            }
            changed(session.user(), session.rooms(), null);
        }
        metrics.sessionClosed();
    }

    /**
     * Joins {@code room}; completes once every node of the cluster knows, so that a message sent
     * to the room from any node after the JOIN's OK reaches this session.
     */
    public CompletableFuture<Void> join(Session session, String room) {
        synchronized (presenceLock) {
            if (session.rooms().add(room)) {
                membersByRoom
                        .computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet())
                        .add(session);
                return changed(session.user(), Set.of(room), session);
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    public void part(Session session, String room) throws ChatException {
        synchronized (presenceLock) {
            if (!session.rooms().remove(room)) {
                throw new ChatException(ErrorCode.NOT_IN_ROOM, "you are not in " + room);
            }
            removeMember(room, session);
            changed(session.user(), Set.of(room), session);
        }
    }

    /** Every user online anywhere in the cluster, with session counts, sorted by name. */
    public List<ServerFrame.UserEntry> users() {
        return directory.users();
    }

    /** The members of a room anywhere in the cluster, with their session counts in it. */
    public List<ServerFrame.UserEntry> members(String room) throws ChatException {
        List<ServerFrame.UserEntry> members = directory.members(room);
        if (members.isEmpty()) {
            throw new ChatException(ErrorCode.NO_SUCH_ROOM, room + " has no members");
        }
        return members;
    }

    /**
     * Sends a direct message to every session of {@code to}, or a room message to every member
     * session but the sender's, on every node. Completes with the message id once every node that
     * holds a recipient has accepted it.
     */
    public CompletableFuture<String> send(Session from, String to, String text) throws ChatException {
        boolean room = to.startsWith("#");
        if (room && !from.rooms().contains(to)) {
            throw new ChatException(ErrorCode.NOT_IN_ROOM, "join " + to + " before sending to it");
        }
        Collection<Session> local = (room ? membersByRoom : sessionsByUser).getOrDefault(to, Set.of());
        List<String> remote = room ? directory.nodesWithRoom(to, node) : directory.nodesWithUser(to, node);
        if (!room && local.isEmpty() && remote.isEmpty()) {
            throw new ChatException(ErrorCode.NO_SUCH_USER, to + " is not online");
        }
        String id = messageIds.next();
        ServerFrame.Msg msg = new ServerFrame.Msg(id, from.user(), to, text, Timestamps.format(Instant.now()));
        metrics.messageIn();
        metrics.messagesOut(broadcast(local, room ? from : null, msg));
        if (remote.isEmpty()) {
            return CompletableFuture.completedFuture(id);
        }
        return peers.deliver(remote, msg).thenApply(done -> id);
    }

    // ---- the rest of the cluster --------------------------------------------------------------

    /** A message another node routed here: delivered to this node's recipient sessions. */
    public void deliverFromPeer(ServerFrame.Msg msg) {
        Collection<Session> local = msg.to().startsWith("#")
                ? membersByRoom.getOrDefault(msg.to(), Set.of())
                : sessionsByUser.getOrDefault(msg.to(), Set.of());
        metrics.messagesOut(broadcast(local, null, msg));
    }

    /**
     * Another node's delta {@code version} of one user. Returns true when it shows, for the first
     * time since that node's last snapshot, that a delta went missing: the node should be asked for
     * a snapshot.
     */
    public boolean peerChanged(String peer, long version, UserDelta delta) {
        synchronized (presenceLock) {
            boolean wasBehind = directory.behind(peer);
            announce(directory.apply(peer, version, delta), null);
            return !wasBehind && directory.behind(peer);
        }
    }

    /** Everything another node holds, as of its {@code version}: after a view change, a merge, or on request. */
    public void peerSnapshot(String peer, long version, Map<String, UserState> snapshot) {
        synchronized (presenceLock) {
            announce(directory.replace(peer, snapshot, version), null);
        }
    }

    /** A node left the cluster (or was cut off): its sessions are gone. */
    public void peerLeft(String peer) {
        synchronized (presenceLock) {
            announce(directory.remove(peer), null);
        }
    }

    /** The nodes this node has presence state from, itself included. */
    public Set<String> knownNodes() {
        return Set.copyOf(directory.nodes());
    }

    /**
     * Runs {@code send} with this node's full state and its version while no presence change can
     * interleave, so a snapshot and the deltas after it reach every peer in order.
     */
    public void withSnapshot(ObjLongConsumer<Map<String, UserState>> send) {
        synchronized (presenceLock) {
            send.accept(directory.stateOf(node), version);
        }
    }

    // ---- internals ----------------------------------------------------------------------------

    /**
     * Counts this node's sessions of {@code user} and how many of them are in each of {@code rooms}
     * (the rooms the change touched), tells the peers that delta, and announces the change;
     * completes when every peer has applied it. Costs the touched rooms times the user's sessions
     * here, not the user's other rooms.
     */
    private CompletableFuture<Void> changed(String user, Collection<String> rooms, Session acting) {
        Set<Session> sessions = sessionsByUser.getOrDefault(user, Set.of());
        Map<String, Integer> counts = new HashMap<>();
        if (!sessions.isEmpty()) {
            for (String room : rooms) {
                int in = 0;
                for (Session s : sessions) {
                    in += s.rooms().contains(room) ? 1 : 0;
                }
                counts.put(room, in);
            }
        }
        UserDelta delta = new UserDelta(user, sessions.size(), counts);
        List<PresenceChange> changes = directory.apply(node, delta);
        CompletableFuture<Void> applied = peers.publish(++version, delta);
        announce(changes, acting);
        return applied;
    }

    private void removeMember(String room, Session session) {
        membersByRoom.computeIfPresent(room, (r, members) -> {
            members.remove(session);
            return members.isEmpty() ? null : members;
        });
    }

    /** Delivers PRESENCE frames for {@code changes} to this node's sessions that should hear them. */
    private void announce(List<PresenceChange> changes, Session acting) {
        for (PresenceChange change : changes) {
            boolean roomEvent = change.event() == PresenceEvent.JOIN || change.event() == PresenceEvent.PART;
            Collection<Session> audience = roomEvent
                    ? membersByRoom.getOrDefault(change.room(), Set.of())
                    : roomPeers(change.user(), change.sharedRooms());
            broadcast(
                    audience,
                    roomEvent ? acting : null,
                    new ServerFrame.Presence(change.user(), change.event(), roomEvent ? change.room() : null));
        }
    }

    /** This node's sessions of other users in any of {@code rooms}. */
    private Collection<Session> roomPeers(String user, Set<String> rooms) {
        Set<Session> peersInRooms = new HashSet<>();
        for (String room : rooms) {
            for (Session member : membersByRoom.getOrDefault(room, Set.of())) {
                if (!member.user().equals(user)) {
                    peersInRooms.add(member);
                }
            }
        }
        return peersInRooms;
    }

    /**
     * Encodes the frame once (if anyone is to get it) and hands a retained duplicate to each
     * session but {@code except}: directly for the sessions on the calling thread's event loop, and
     * with one task per other event loop (not one per session) for the rest. Returns how many.
     */
    private int broadcast(Collection<Session> sessions, Session except, ServerFrame frame) {
        ByteBuf encoded = null;
        Map<EventLoop, List<Session>> elsewhere = null;
        int recipients = 0;
        try {
            for (Session s : sessions) {
                if (s == except) {
                    continue;
                }
                if (encoded == null) {
                    encoded = codec.encode(frame, alloc);
                }
                recipients++;
                EventLoop loop = s.channel().eventLoop();
                if (loop.inEventLoop()) {
                    s.deliver(encoded.retainedDuplicate());
                } else {
                    if (elsewhere == null) {
                        elsewhere = new IdentityHashMap<>(4);
                    }
                    elsewhere.computeIfAbsent(loop, l -> new ArrayList<>()).add(s);
                }
            }
            if (elsewhere != null) {
                ByteBuf shared = encoded;
                elsewhere.forEach((loop, group) -> deliverOn(loop, group, shared.retain()));
            }
            return recipients;
        } finally {
            if (encoded != null) {
                encoded.release();
            }
        }
    }

    /** One task on {@code loop} writes {@code frame} (whose reference it takes over) to each session. */
    private static void deliverOn(EventLoop loop, List<Session> sessions, ByteBuf frame) {
        try {
            loop.execute(() -> {
                try {
                    for (Session s : sessions) {
                        s.deliver(frame.retainedDuplicate());
                    }
                } finally {
                    frame.release();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            frame.release();
        }
    }
}
