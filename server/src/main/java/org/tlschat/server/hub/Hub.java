package org.tlschat.server.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import io.netty.channel.Channel;
import java.math.BigInteger;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.Timestamps;

/**
 * The controller: who is online, which sessions are in which room, and where a message goes.
 *
 * <p>State lives in concurrent maps updated with atomic {@code compute} calls, so there is no
 * global lock and no single thread on the message path: each sender's event loop routes its own
 * messages. A message is encoded once and the same buffer is written to every recipient.
 */
public final class Hub {
    private final String node;
    private final FrameCodec codec;
    private final ByteBufAllocator alloc;
    private final HubMetrics metrics;
    private final MessageIds messageIds;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Set<Session>> sessionsByUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> membersByRoom = new ConcurrentHashMap<>();

    public Hub(String node, FrameCodec codec, ByteBufAllocator alloc, HubMetrics metrics) {
        this.node = node;
        this.codec = codec;
        this.alloc = alloc;
        this.metrics = metrics;
        this.messageIds = new MessageIds(node);
    }

    public String node() { return node; }

    /** Creates and registers a session for an authenticated connection. */
    public Session open(String user, Channel channel, BigInteger certificateSerial,
                        Consumer<Session> onSlowConsumer) {
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        Session session = new Session(node + "-" + HexFormat.of().formatHex(suffix), user, channel,
                certificateSerial, onSlowConsumer);
        boolean[] first = {false};
        sessionsByUser.compute(user, (u, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                first[0] = true;
            }
            set.add(session);
            return set;
        });
        metrics.sessionOpened();
        if (first[0]) {
            broadcast(roomPeersOf(user, session), new ServerFrame.Presence(user, PresenceEvent.ONLINE, null));
        }
        return session;
    }

    /** Removes a closed session: it parts its rooms, and its user goes offline if it was the last. */
    public void close(Session session) {
        Set<Session> peers = roomPeersOf(session.user(), session);
        for (String room : List.copyOf(session.rooms())) {
            leave(session, room);
        }
        boolean[] last = {false};
        sessionsByUser.computeIfPresent(session.user(), (u, set) -> {
            if (!set.remove(session)) {
                return set;
            }
            metrics.sessionClosed();
            last[0] = set.isEmpty();
            return last[0] ? null : set;
        });
        if (last[0]) {
            broadcast(peers, new ServerFrame.Presence(session.user(), PresenceEvent.OFFLINE, null));
        }
    }

    /** Every online user with its session count, sorted by name. */
    public List<ServerFrame.UserEntry> users() {
        return countByUser(sessionsByUser.values().stream().flatMap(Collection::stream).toList());
    }

    /** The members of a room with their session counts in it. */
    public List<ServerFrame.UserEntry> members(String room) throws ChatException {
        Set<Session> members = membersByRoom.get(room);
        List<ServerFrame.UserEntry> users = members == null ? List.of() : countByUser(members);
        if (users.isEmpty()) {
            throw new ChatException(ErrorCode.NO_SUCH_ROOM, room + " has no members");
        }
        return users;
    }

    public void join(Session session, String room) {
        if (!session.rooms().add(room)) {
            return;
        }
        membersByRoom.compute(room, (r, set) -> {
            Set<Session> members = set == null ? ConcurrentHashMap.newKeySet() : set;
            members.add(session);
            return members;
        });
        broadcast(othersIn(room, session), new ServerFrame.Presence(session.user(), PresenceEvent.JOIN, room));
    }

    public void part(Session session, String room) throws ChatException {
        if (!session.rooms().contains(room)) {
            throw new ChatException(ErrorCode.NOT_IN_ROOM, "you are not in " + room);
        }
        leave(session, room);
    }

    /**
     * Sends a direct message to every session of {@code to}, or a room message to every member
     * session but the sender's. Returns the message id.
     */
    public String send(Session from, String to, String text) throws ChatException {
        Collection<Session> recipients;
        if (to.startsWith("#")) {
            if (!from.rooms().contains(to)) {
                throw new ChatException(ErrorCode.NOT_IN_ROOM, "join " + to + " before sending to it");
            }
            recipients = othersIn(to, from);
        } else {
            recipients = sessionsByUser.get(to);
            if (recipients == null || recipients.isEmpty()) {
                throw new ChatException(ErrorCode.NO_SUCH_USER, to + " is not online");
            }
        }
        String id = messageIds.next();
        ServerFrame.Msg msg = new ServerFrame.Msg(id, from.user(), to, text, Timestamps.format(Instant.now()));
        metrics.messageIn();
        metrics.messagesOut(broadcast(recipients, msg));
        return id;
    }

    private void leave(Session session, String room) {
        session.rooms().remove(room);
        membersByRoom.computeIfPresent(room, (r, members) -> {
            members.remove(session);
            return members.isEmpty() ? null : members;
        });
        broadcast(othersIn(room, session), new ServerFrame.Presence(session.user(), PresenceEvent.PART, room));
    }

    private Collection<Session> othersIn(String room, Session except) {
        Set<Session> members = membersByRoom.get(room);
        if (members == null) {
            return List.of();
        }
        List<Session> others = new ArrayList<>(members.size());
        for (Session s : members) {
            if (s != except) {
                others.add(s);
            }
        }
        return others;
    }

    /** Sessions of other users that share at least one room with any session of {@code user}. */
    private Set<Session> roomPeersOf(String user, Session including) {
        Set<Session> peers = new HashSet<>();
        Set<Session> own = new HashSet<>(sessionsByUser.getOrDefault(user, Set.of()));
        own.add(including);
        for (Session s : own) {
            for (String room : s.rooms()) {
                for (Session member : membersByRoom.getOrDefault(room, Set.of())) {
                    if (!member.user().equals(user)) {
                        peers.add(member);
                    }
                }
            }
        }
        return peers;
    }

    /** Encodes the frame once and hands a retained duplicate to each recipient. */
    private int broadcast(Collection<Session> recipients, ServerFrame frame) {
        if (recipients.isEmpty()) {
            return 0;
        }
        ByteBuf encoded = codec.encode(frame, alloc);
        try {
            int n = 0;
            for (Session s : recipients) {
                s.deliver(encoded.retainedDuplicate());
                n++;
            }
            return n;
        } finally {
            encoded.release();
        }
    }

    private static List<ServerFrame.UserEntry> countByUser(Collection<Session> sessions) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Session s : sessions) {
            counts.merge(s.user(), 1, Integer::sum);
        }
        List<ServerFrame.UserEntry> users = new ArrayList<>(counts.size());
        counts.forEach((user, n) -> users.add(new ServerFrame.UserEntry(user, n)));
        return users;
    }
}
