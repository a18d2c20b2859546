package org.tlschat.server.hub;

import org.tlschat.protocol.PresenceEvent;
import java.util.Set;

/**
 * A presence event and who should hear it: for join/part the members of {@code room}; for
 * online/offline the sessions of other users in any of {@code sharedRooms}.
 */
record PresenceChange(String user, PresenceEvent event, String room, Set<String> sharedRooms) {
}
