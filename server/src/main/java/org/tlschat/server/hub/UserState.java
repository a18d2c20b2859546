package org.tlschat.server.hub;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/**
 * What one node holds of one user: how many sessions, and how many of them are in each room. The
 * unit of presence that nodes exchange: absolute, so applying one twice changes nothing.
 */
public record UserState(String user, int sessions, Map<String, Integer> rooms) {
    public UserState {
        rooms = Map.copyOf(rooms);
    }

    public static UserState absent(String user) {
        return new UserState(user, 0, Map.of());
    }

    @JsonIgnore
    public boolean isAbsent() {
        return sessions == 0;
    }

    public int sessionsIn(String room) {
        return rooms.getOrDefault(room, 0);
    }
}
