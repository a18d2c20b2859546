package org.tlschat.server.hub;

import java.util.ArrayList;
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
 * The cluster-wide presence table: for every node, the {@link UserState} of each user it holds.
 * This node's own entry is kept here too, so local and remote changes go through one path that
 * turns a state change into the presence events it implies.
 *
 * <p>Changes are serialised by the caller (the Hub's presence lock); reads are lock-free.
 */
final class Directory {
    private final Map<String, Map<String, UserState>> byNode = new ConcurrentHashMap<>();

    /** Sets {@code node}'s state of one user and returns the events the change implies. */
    List<PresenceChange> put(String node, UserState next) {
        Map<String, UserState> users = byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
        UserState previous = users.getOrDefault(next.user(), UserState.absent(next.user()));
        int othersBefore = total(next.user()) - previous.sessions();
        if (next.isAbsent()) {
            users.remove(next.user());
        } else {
            users.put(next.user(), next);
        }
        return changes(previous, next, othersBefore);
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
        return changes;
    }

    Set<String> nodes() {
        return byNode.keySet();
    }

    /** Sessions of {@code user} on every node. */
    int total(String user) {
        int n = 0;
        for (Map<String, UserState> users : byNode.values()) {
            UserState s = users.get(user);
            n += s == null ? 0 : s.sessions();
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
        byNode.values()
                .forEach(users -> users.values().forEach(u -> counts.merge(u.user(), u.sessions(), Integer::sum)));
        return entries(counts);
    }

    /** The members of {@code room} with their session counts in it, sorted by name. */
    List<UserEntry> members(String room) {
        Map<String, Integer> counts = new TreeMap<>();
        byNode.values()
                .forEach(users -> users.values().forEach(u -> {
                    if (u.sessionsIn(room) > 0) {
                        counts.merge(u.user(), u.sessionsIn(room), Integer::sum);
                    }
                }));
        return entries(counts);
    }

    /** The state of one node, as sent in a snapshot. */
    Map<String, UserState> stateOf(String node) {
        return Map.copyOf(byNode.getOrDefault(node, Map.of()));
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
