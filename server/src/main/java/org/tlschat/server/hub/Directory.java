package org.tlschat.server.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame.UserEntry;

/**
 * The cluster-wide presence table: for every node, what it holds of each user (sessions, and
 * sessions per room). This node's own entry is kept here too, so local and remote changes go through
 * one path that turns a state change into the presence events it implies.
 *
 * <p>A node's entry changes three ways: a whole snapshot ({@link #replace}, after a view change or
 * on request), a delta of one user ({@link #apply}, after each open, close, join and part), and its
 * departure ({@link #remove}). A delta costs the same whatever the user's other rooms. Each peer
 * numbers its deltas and snapshots with one counter (its <em>version</em>); a delta not newer than
 * what was applied is already included and ignored, a delta that skips a version (or comes from a
 * node with no snapshot) is applied but leaves the node {@link #behind} until its next snapshot.
 *
 * <p>Changes are serialised by the caller (the Hub's presence lock); reads are lock-free.
 */
final class Directory {
    /** node -> user -> what the node holds of the user; a {@link Held} is changed in place by deltas. */
    private final Map<String, Map<String, Held>> byNode = new ConcurrentHashMap<>();
    /** node -> version of the last snapshot or delta applied from it (peers only). */
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    /** Peers from which a delta is missing: only a snapshot sets them right. */
    private final Set<String> behind = ConcurrentHashMap.newKeySet();

    /** Sets {@code node}'s state of one user and returns the events the change implies. */
    List<PresenceChange> put(String node, UserState next) {
        Map<String, Held> users = byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
        Held held = users.get(next.user());
        UserState previous = held == null ? UserState.absent(next.user()) : held.state(next.user());
        int othersBefore = total(next.user()) - previous.sessions();
        if (next.isAbsent()) {
            users.remove(next.user());
        } else {
            users.put(next.user(), new Held(next));
        }
        return changes(previous, next, othersBefore);
    }

    /**
     * Applies {@code node}'s delta of one user and returns the events it implies. Costs the rooms
     * the delta names, not the rooms the user is in (but for the user's arrival or departure).
     */
    List<PresenceChange> apply(String node, UserDelta delta) {
        Held held = byNode.getOrDefault(node, Map.of()).get(delta.user());
        if (delta.isAbsent()) {
            return held == null ? List.of() : put(node, UserState.absent(delta.user()));
        }
        if (held == null) {
            Map<String, Integer> rooms = new HashMap<>(delta.rooms());
            rooms.values().removeIf(n -> n <= 0);
            return put(node, new UserState(delta.user(), delta.sessions(), rooms));
        }
        List<PresenceChange> changes = new ArrayList<>();
        for (String room : new TreeSet<>(delta.rooms().keySet())) {
            int before = held.sessionsIn(room);
            int after = Math.max(0, delta.rooms().get(room));
            if (after == 0) {
                held.rooms.remove(room);
            } else {
                held.rooms.put(room, after);
            }
            if (after != before) {
                changes.add(new PresenceChange(
                        delta.user(), after > before ? PresenceEvent.JOIN : PresenceEvent.PART, room, Set.of()));
            }
        }
        held.sessions = delta.sessions();
        return changes;
    }

    /**
     * Applies delta {@code version} of peer {@code node}: ignored when not newer than the last one
     * applied (a snapshot already holds it); applied otherwise, and when it skips a version, or the
     * node has sent no snapshot yet, the node is {@link #behind} until its next snapshot.
     */
    List<PresenceChange> apply(String node, long version, UserDelta delta) {
        Long last = versions.get(node);
        if (last != null && version <= last) {
            return List.of();
        }
        if (last == null || version != last + 1) {
            behind.add(node);
        }
        versions.put(node, version);
        return apply(node, delta);
    }

    /** Whether a delta of {@code node} went missing since its last snapshot. */
    boolean behind(String node) {
        return behind.contains(node);
    }

    /**
     * Replaces everything known of peer {@code node} by its snapshot of {@code version} (whatever
     * came before: a restarted node counts from 0 again); returns the events of every difference.
     */
    List<PresenceChange> replace(String node, Map<String, UserState> snapshot, long version) {
        versions.put(node, version);
        behind.remove(node);
        return replace(node, snapshot);
    }

    /** Replaces everything known of {@code node}; returns the events of every difference. */
    List<PresenceChange> replace(String node, Map<String, UserState> snapshot) {
        Set<String> users = new HashSet<>(snapshot.keySet());
        users.addAll(byNode.getOrDefault(node, Map.of()).keySet());
        List<PresenceChange> changes = new ArrayList<>();
        for (String user : users) {
            changes.addAll(put(node, snapshot.getOrDefault(user, UserState.absent(user))));
        }
        return changes;
    }

    /** Forgets a node that left the cluster; its users part and may go offline. */
    List<PresenceChange> remove(String node) {
        List<PresenceChange> changes = replace(node, Map.of());
        byNode.remove(node);
        versions.remove(node);
        behind.remove(node);
        return changes;
    }

    Set<String> nodes() {
        return byNode.keySet();
    }

    /** Sessions of {@code user} on every node. */
    int total(String user) {
        int n = 0;
        for (Map<String, Held> users : byNode.values()) {
            Held s = users.get(user);
            n += s == null ? 0 : s.sessions;
        }
        return n;
    }

    /** Nodes other than {@code self} with at least one session of {@code user}. */
    List<String> nodesWithUser(String user, String self) {
        List<String> nodes = new ArrayList<>();
        byNode.forEach((node, users) -> {
            if (!node.equals(self) && users.containsKey(user)) {
                nodes.add(node);
            }
        });
        return nodes;
    }

    /** Nodes other than {@code self} with at least one session in {@code room}. */
    List<String> nodesWithRoom(String room, String self) {
        List<String> nodes = new ArrayList<>();
        byNode.forEach((node, users) -> {
            if (!node.equals(self) && users.values().stream().anyMatch(u -> u.sessionsIn(room) > 0)) {
                nodes.add(node);
            }
        });
        return nodes;
    }

    /** Every online user with the number of sessions, sorted by name. */
    List<UserEntry> users() {
        Map<String, Integer> counts = new TreeMap<>();
        byNode.values().forEach(users -> users.forEach((user, u) -> counts.merge(user, u.sessions, Integer::sum)));
        return entries(counts);
    }

    /** The members of {@code room} with their session counts in it, sorted by name. */
    List<UserEntry> members(String room) {
        Map<String, Integer> counts = new TreeMap<>();
        byNode.values()
                .forEach(users -> users.forEach((user, u) -> {
                    int in = u.sessionsIn(room);
                    if (in > 0) {
                        counts.merge(user, in, Integer::sum);
                    }
                }));
        return entries(counts);
    }

    /** The state of one node, as sent in a snapshot. */
    Map<String, UserState> stateOf(String node) {
        Map<String, UserState> state = new HashMap<>();
        byNode.getOrDefault(node, Map.of()).forEach((user, held) -> state.put(user, held.state(user)));
        return Map.copyOf(state);
    }

    /**
     * What one node holds of one user. Written only under the presence lock; read without it, so a
     * reader may see a delta half applied (a room count before the session count), never a torn value.
     */
    private static final class Held {
        volatile int sessions;
        final Map<String, Integer> rooms;

        Held(UserState state) {
            this.sessions = state.sessions();
            this.rooms = new ConcurrentHashMap<>(state.rooms());
        }

        int sessionsIn(String room) {
            return rooms.getOrDefault(room, 0);
        }

        UserState state(String user) {
            return new UserState(user, sessions, rooms);
        }
    }

    private static List<UserEntry> entries(Map<String, Integer> counts) {
        List<UserEntry> entries = new ArrayList<>(counts.size());
        counts.forEach((user, n) -> entries.add(new UserEntry(user, n)));
        return entries;
    }

    private static List<PresenceChange> changes(UserState before, UserState after, int othersBefore) {
        List<PresenceChange> changes = new ArrayList<>();
        Set<String> rooms = new HashSet<>(before.rooms().keySet());
        rooms.addAll(after.rooms().keySet());
        boolean online = othersBefore == 0 && before.isAbsent() && !after.isAbsent();
        boolean offline = othersBefore == 0 && !before.isAbsent() && after.isAbsent();
        if (online) {
            changes.add(new PresenceChange(after.user(), PresenceEvent.ONLINE, null, Set.copyOf(rooms)));
        }
        for (String room : new TreeSet<>(rooms)) {
            int delta = after.sessionsIn(room) - before.sessionsIn(room);
            if (delta != 0) {
                changes.add(new PresenceChange(
                        after.user(), delta > 0 ? PresenceEvent.JOIN : PresenceEvent.PART, room, Set.of()));
            }
        }
        if (offline) {
            changes.add(new PresenceChange(after.user(), PresenceEvent.OFFLINE, null, Set.copyOf(rooms)));
        }
        return changes;
    }
}
