package org.tlschat.server.hub;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/**
 * What changed of one user on one node, as nodes exchange it after a session opens or closes or
 * joins or parts a room: the user's new number of sessions on the node, and the new session count
 * of each room the change touched (0: no session of the user is in it any more). Rooms not named are
 * unchanged; {@code sessions == 0} means the user has left the node. Each field is absolute, so
 * applying a delta twice changes nothing; and its size does not grow with the user's other rooms.
 */
public record UserDelta(String user, int sessions, Map<String, Integer> rooms) {
    public UserDelta {
        rooms = Map.copyOf(rooms);
    }

    @JsonIgnore
    public boolean isAbsent() {
        return sessions == 0;
    }
}
