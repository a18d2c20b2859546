package org.tlschat.server.hub;

import java.util.Set;
import org.tlschat.protocol.PresenceEvent;

/**
 * A presence event and who should hear it: for join/part the members of {@code room}; for
 * online/offline the sessions of other users in any of {@code sharedRooms}.
 */
record PresenceChange(String user, PresenceEvent event, String room, Set<String> sharedRooms) {}
