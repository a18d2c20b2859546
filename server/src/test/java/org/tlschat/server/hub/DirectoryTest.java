package org.tlschat.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlschat.protocol.PresenceEvent;
import org.tlschat.protocol.ServerFrame.UserEntry;

/**
 * The presence rules of the cluster-wide table: which PRESENCE events a change of one node's state
 * implies. ONLINE and OFFLINE are the user's first and last session on any node; JOIN and PART
 * follow each room's session count on the node that changed. A node's state arrives whole (a
 * snapshot) or as deltas of one user that name only the rooms they change, numbered so that one
 * already in a snapshot is ignored and a missing one is noticed.
 */
class DirectoryTest {
    /** This node; the Directory does not tell it apart from the others. */
    private static final String SELF = "n1";

    private static final String N2 = "n2";
    private static final String N3 = "n3";

    /**
     * One rule: the table after {@code given}, the changes {@code when} returns, and the users
     * online afterwards. Each user's changes must come in the expected order; users may interleave.
     */
    private record Case(
            String name,
            Consumer<Directory> given,
            Function<Directory, List<PresenceChange>> when,
            List<PresenceChange> changes,
            List<UserEntry> usersAfter) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> rules() {
        return Stream.of(
                // ---- one node's state of one user (put) ----
                new Case(
                        "the first session anywhere is ONLINE",
                        d -> {},
                        d -> d.put(SELF, state("alice", 1)),
                        List.of(online("alice")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a user who arrives already in rooms is ONLINE naming them, then a JOIN per room in order",
                        d -> {},
                        d -> d.put(N2, state("alice", 1, "#b", "#a")),
                        List.of(online("alice", "#a", "#b"), join("alice", "#a"), join("alice", "#b")),
                        List.of(entry("alice", 1))),
                new Case(
                        "joining a room is a JOIN, nothing else",
                        d -> d.put(SELF, state("alice", 1)),
                        d -> d.put(SELF, state("alice", 1, "#a")),
                        List.of(join("alice", "#a")),
                        List.of(entry("alice", 1))),
                new Case(
                        "parting a room is a PART, nothing else",
                        d -> d.put(SELF, state("alice", 1, "#a", "#b")),
                        d -> d.put(SELF, state("alice", 1, "#b")),
                        List.of(part("alice", "#a")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a second session of an online user on the same node says nothing",
                        d -> d.put(SELF, state("alice", 1, "#a")),
                        d -> d.put(SELF, state("alice", 2, "#a")),
                        List.of(),
                        List.of(entry("alice", 2))),
                new Case(
                        "a second session joining a room the user is already in is another JOIN",
                        d -> d.put(SELF, new UserState("alice", 2, Map.of("#a", 1))),
                        d -> d.put(SELF, new UserState("alice", 2, Map.of("#a", 2))),
                        List.of(join("alice", "#a")),
                        List.of(entry("alice", 2))),
                new Case(
                        "closing one of two sessions on a node says nothing",
                        d -> d.put(SELF, state("alice", 2)),
                        d -> d.put(SELF, state("alice", 1)),
                        List.of(),
                        List.of(entry("alice", 1))),
                new Case(
                        "the last session anywhere parts each room in order, then is OFFLINE naming them",
                        d -> d.put(SELF, state("alice", 1, "#b", "#a")),
                        d -> d.put(SELF, UserState.absent("alice")),
                        List.of(part("alice", "#a"), part("alice", "#b"), offline("alice", "#a", "#b")),
                        List.of()),
                new Case(
                        "the same state again says nothing",
                        d -> d.put(N2, state("alice", 1, "#a")),
                        d -> d.put(N2, state("alice", 1, "#a")),
                        List.of(),
                        List.of(entry("alice", 1))),
                new Case(
                        "an absent user reported absent says nothing",
                        d -> {},
                        d -> d.put(N2, UserState.absent("alice")),
                        List.of(),
                        List.of()),
                new Case(
                        "a local user connecting on a remote node too is not ONLINE again",
                        d -> d.put(SELF, state("alice", 1)),
                        d -> d.put(N2, state("alice", 1, "#a")),
                        List.of(join("alice", "#a")),
                        List.of(entry("alice", 2))),
                new Case(
                        "a remote user connecting here too is not ONLINE again",
                        d -> d.put(N2, state("alice", 1, "#a")),
                        d -> d.put(SELF, state("alice", 1, "#a")),
                        List.of(join("alice", "#a")),
                        List.of(entry("alice", 2))),
                new Case(
                        "a user leaving one of two nodes parts its rooms there but is not OFFLINE",
                        d -> {
                            d.put(SELF, state("alice", 1, "#a"));
                            d.put(N2, state("alice", 1, "#a"));
                        },
                        d -> d.put(N2, UserState.absent("alice")),
                        List.of(part("alice", "#a")),
                        List.of(entry("alice", 1))),
                new Case(
                        "another user's presence does not make a user ONLINE or OFFLINE",
                        d -> d.put(SELF, state("bob", 1)),
                        d -> d.put(N2, state("alice", 1)),
                        List.of(online("alice")),
                        List.of(entry("alice", 1), entry("bob", 1))),

                // ---- a node's whole state (replace) ----
                new Case(
                        "a new node's snapshot brings its users ONLINE with their JOINs",
                        d -> {},
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a"), "bob", state("bob", 2))),
                        List.of(online("alice", "#a"), join("alice", "#a"), online("bob")),
                        List.of(entry("alice", 1), entry("bob", 2))),
                new Case(
                        "a snapshot replacing the node's previous one announces only the differences",
                        d -> d.replace(
                                N2,
                                Map.of(
                                        "alice",
                                        state("alice", 1, "#a"),
                                        "bob",
                                        state("bob", 1),
                                        "dave",
                                        state("dave", 1, "#a"))),
                        d -> d.replace(
                                N2,
                                Map.of(
                                        "alice",
                                        state("alice", 1, "#a", "#b"),
                                        "carol",
                                        state("carol", 1),
                                        "dave",
                                        state("dave", 1, "#a"))),
                        List.of(join("alice", "#b"), offline("bob"), online("carol")),
                        List.of(entry("alice", 1), entry("carol", 1), entry("dave", 1))),
                new Case(
                        "the same snapshot again says nothing",
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a"))),
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a"))),
                        List.of(),
                        List.of(entry("alice", 1))),
                new Case(
                        "a snapshot without a user who is also on another node only parts its rooms",
                        d -> {
                            d.put(SELF, state("alice", 1, "#a"));
                            d.replace(N2, Map.of("alice", state("alice", 1, "#a", "#b")));
                        },
                        d -> d.replace(N2, Map.of()),
                        List.of(part("alice", "#a"), part("alice", "#b")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a node's snapshot leaves the other nodes' users alone",
                        d -> {
                            d.put(SELF, state("bob", 1, "#a"));
                            d.replace(N3, Map.of("carol", state("carol", 1)));
                        },
                        d -> d.replace(N2, Map.of()),
                        List.of(),
                        List.of(entry("bob", 1), entry("carol", 1))),
                new Case(
                        "a user on two remote nodes is ONLINE once, whichever snapshot comes first",
                        d -> d.replace(N2, Map.of("alice", state("alice", 1))),
                        d -> d.replace(N3, Map.of("alice", state("alice", 2, "#a"))),
                        List.of(join("alice", "#a")),
                        List.of(entry("alice", 3))),

                // ---- a delta of one user (apply): only the rooms it names ----
                new Case(
                        "a user's first delta on any node is ONLINE",
                        d -> {},
                        d -> d.apply(N2, delta("alice", 1)),
                        List.of(online("alice")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a user's first delta on a node while on another node says nothing",
                        d -> d.put(SELF, state("alice", 1, "#a")),
                        d -> d.apply(N2, delta("alice", 1)),
                        List.of(),
                        List.of(entry("alice", 2))),
                new Case(
                        "a delta joining one room of a user in many is a JOIN of that room only",
                        d -> d.put(N2, state("alice", 1, "#a", "#b", "#c")),
                        d -> d.apply(N2, delta("alice", 1, "#d", 1)),
                        List.of(join("alice", "#d")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a delta parting one room is a PART of that room only",
                        d -> d.put(N2, state("alice", 1, "#a", "#b", "#c")),
                        d -> d.apply(N2, delta("alice", 1, "#b", 0)),
                        List.of(part("alice", "#b")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a closing session's delta names its rooms with the sessions left in each",
                        d -> d.put(N2, new UserState("alice", 2, Map.of("#a", 2, "#b", 1, "#c", 1))),
                        d -> d.apply(N2, new UserDelta("alice", 1, Map.of("#a", 1, "#b", 0))),
                        List.of(part("alice", "#a"), part("alice", "#b")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a delta with no session left parts every room of the user there, then OFFLINE",
                        d -> d.put(N2, state("alice", 1, "#b", "#a")),
                        d -> d.apply(N2, delta("alice", 0)),
                        List.of(part("alice", "#a"), part("alice", "#b"), offline("alice", "#a", "#b")),
                        List.of()),
                new Case(
                        "the same delta twice says nothing the second time",
                        d -> d.apply(N2, delta("alice", 1, "#a", 1)),
                        d -> d.apply(N2, delta("alice", 1, "#a", 1)),
                        List.of(),
                        List.of(entry("alice", 1))),
                new Case(
                        "a delta of no session for a user the node does not hold says nothing",
                        d -> d.put(SELF, state("alice", 1)),
                        d -> d.apply(N2, delta("alice", 0)),
                        List.of(),
                        List.of(entry("alice", 1))),

                // ---- versions: deltas in order, snapshots set things right ----
                new Case(
                        "a delta not newer than the node's snapshot is already in it: ignored",
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a")), 5),
                        d -> d.apply(N2, 5, delta("alice", 1, "#a", 0)),
                        List.of(),
                        List.of(entry("alice", 1))),
                new Case(
                        "the delta after the snapshot's version is applied",
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a")), 5),
                        d -> d.apply(N2, 6, delta("alice", 1, "#b", 1)),
                        List.of(join("alice", "#b")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a delta that skips a version is still applied (its counts are absolute)",
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a")), 5),
                        d -> d.apply(N2, 9, delta("alice", 1, "#a", 0)),
                        List.of(part("alice", "#a")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a snapshot replaces what deltas built, whatever its version (a restarted node counts from 0)",
                        d -> {
                            d.replace(N2, Map.of("alice", state("alice", 1, "#a")), 7);
                            d.apply(N2, 8, delta("alice", 1, "#b", 1));
                        },
                        d -> d.replace(N2, Map.of("bob", state("bob", 1)), 0),
                        List.of(part("alice", "#a"), part("alice", "#b"), offline("alice", "#a", "#b"), online("bob")),
                        List.of(entry("bob", 1))),

                // ---- a node leaving (remove) ----
                new Case(
                        "a node leaving parts its users' rooms and takes them OFFLINE",
                        d -> d.replace(N2, Map.of("alice", state("alice", 1, "#a"), "bob", state("bob", 2))),
                        d -> d.remove(N2),
                        List.of(part("alice", "#a"), offline("alice", "#a"), offline("bob")),
                        List.of()),
                new Case(
                        "a node leaving keeps online the users who are also on another node",
                        d -> {
                            d.put(SELF, state("alice", 1, "#a"));
                            d.replace(N2, Map.of("alice", state("alice", 1, "#a", "#b"), "bob", state("bob", 1)));
                        },
                        d -> d.remove(N2),
                        List.of(part("alice", "#a"), part("alice", "#b"), offline("bob")),
                        List.of(entry("alice", 1))),
                new Case(
                        "a node that never reported anything leaves silently",
                        d -> d.put(SELF, state("alice", 1)),
                        d -> d.remove(N3),
                        List.of(),
                        List.of(entry("alice", 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void presenceRule(Case rule) {
        Directory directory = new Directory();
        rule.given().accept(directory);

        List<PresenceChange> changes = rule.when().apply(directory);

        assertThat(changes).containsExactlyInAnyOrderElementsOf(rule.changes());
        for (String user : usersOf(rule.changes())) {
            assertThat(of(user, changes))
                    .as("%s's changes, in order", user)
                    .containsExactlyElementsOf(of(user, rule.changes()));
        }
        assertThat(directory.users()).as("online afterwards").containsExactlyElementsOf(rule.usersAfter());
    }

    @Test
    void aNodeThatLeftIsForgotten() {
        Directory directory = new Directory();
        directory.put(SELF, state("alice", 1, "#a"));
        directory.replace(N2, Map.of("alice", state("alice", 1, "#a")));
        assertThat(directory.nodesWithUser("alice", SELF)).containsExactly(N2);
        assertThat(directory.nodesWithRoom("#a", SELF)).containsExactly(N2);

        directory.remove(N2);

        assertThat(directory.nodes()).containsExactly(SELF);
        assertThat(directory.nodesWithUser("alice", SELF)).isEmpty();
        assertThat(directory.nodesWithRoom("#a", SELF)).isEmpty();
        assertThat(directory.total("alice")).isEqualTo(1);
        assertThat(directory.stateOf(N2)).isEmpty();
    }

    @Test
    void aDeltaChangesOnlyTheRoomsItNames() {
        Directory directory = new Directory();
        directory.put(N2, state("alice", 1, "#a", "#b", "#c"));

        directory.apply(N2, 1, new UserDelta("alice", 1, Map.of("#b", 0, "#d", 1)));

        assertThat(directory.members("#a")).containsExactly(entry("alice", 1));
        assertThat(directory.members("#b")).isEmpty();
        assertThat(directory.members("#d")).containsExactly(entry("alice", 1));
        assertThat(directory.nodesWithRoom("#d", SELF)).containsExactly(N2);
        assertThat(directory.nodesWithRoom("#b", SELF)).isEmpty();
        assertThat(directory.stateOf(N2)).isEqualTo(Map.of("alice", state("alice", 1, "#a", "#c", "#d")));
    }

    @Test
    void aDeltaThatSkipsAVersionLeavesTheNodeBehindUntilItsNextSnapshot() {
        Directory directory = new Directory();
        directory.replace(N2, Map.of(), 5);
        directory.apply(N2, 6, delta("alice", 1));
        assertThat(directory.behind(N2)).as("in order").isFalse();
        directory.apply(N2, 6, delta("alice", 1));
        assertThat(directory.behind(N2)).as("a repeat").isFalse();

        directory.apply(N2, 8, delta("alice", 2));
        assertThat(directory.behind(N2)).as("version 7 is missing").isTrue();
        directory.apply(N2, 9, delta("alice", 1));
        assertThat(directory.behind(N2)).as("still, until a snapshot").isTrue();

        directory.replace(N2, Map.of("alice", state("alice", 1)), 9);
        assertThat(directory.behind(N2)).isFalse();
        directory.apply(N2, 10, delta("alice", 0));
        assertThat(directory.behind(N2)).isFalse();
        assertThat(directory.users()).isEmpty();
    }

    @Test
    void aDeltaFromANodeWithoutASnapshotIsAppliedAndAsksForOne() {
        Directory directory = new Directory();

        directory.apply(N2, 3, delta("alice", 1, "#a", 1));

        assertThat(directory.members("#a")).containsExactly(entry("alice", 1));
        assertThat(directory.behind(N2)).isTrue();
        assertThat(directory.behind(N3)).isFalse();
    }

    @Test
    void aNodeThatLeftStartsOverWhenItComesBack() {
        Directory directory = new Directory();
        directory.replace(N2, Map.of("alice", state("alice", 1)), 40);
        directory.apply(N2, 41, delta("alice", 0));
        directory.remove(N2);

        directory.replace(N2, Map.of(), 0);
        directory.apply(N2, 1, delta("bob", 1));

        assertThat(directory.users()).as("not ignored as older than 41").containsExactly(entry("bob", 1));
        assertThat(directory.behind(N2)).isFalse();
    }

    /** {@code user} with {@code sessions} sessions on a node, the rooms unchanged. */
    private static UserDelta delta(String user, int sessions) {
        return new UserDelta(user, sessions, Map.of());
    }

    /** {@code user} with {@code sessions} sessions on a node, {@code inRoom} of them in {@code room}. */
    private static UserDelta delta(String user, int sessions, String room, int inRoom) {
        return new UserDelta(user, sessions, Map.of(room, inRoom));
    }

    /** {@code sessions} sessions of {@code user}, one of them in each of {@code rooms}. */
    private static UserState state(String user, int sessions, String... rooms) {
        return new UserState(user, sessions, Arrays.stream(rooms).collect(Collectors.toMap(r -> r, r -> 1)));
    }

    private static PresenceChange online(String user, String... sharedRooms) {
        return new PresenceChange(user, PresenceEvent.ONLINE, null, Set.of(sharedRooms));
    }

    private static PresenceChange offline(String user, String... sharedRooms) {
        return new PresenceChange(user, PresenceEvent.OFFLINE, null, Set.of(sharedRooms));
    }

    private static PresenceChange join(String user, String room) {
        return new PresenceChange(user, PresenceEvent.JOIN, room, Set.of());
    }

    private static PresenceChange part(String user, String room) {
        return new PresenceChange(user, PresenceEvent.PART, room, Set.of());
    }

    private static UserEntry entry(String user, int sessions) {
        return new UserEntry(user, sessions);
    }

    private static Set<String> usersOf(List<PresenceChange> changes) {
        return changes.stream().map(PresenceChange::user).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<PresenceChange> of(String user, List<PresenceChange> changes) {
        return changes.stream().filter(c -> c.user().equals(user)).toList();
    }
}
