package org.tlschat.server.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import org.tlschat.server.hub.UserDelta;
import org.tlschat.server.hub.UserState;

/** What nodes say to each other on the cluster bus. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClusterMessage.Snapshot.class, name = "snapshot"),
    @JsonSubTypes.Type(value = ClusterMessage.Delta.class, name = "delta"),
    @JsonSubTypes.Type(value = ClusterMessage.Resync.class, name = "resync"),
    @JsonSubTypes.Type(value = ClusterMessage.Deliver.class, name = "deliver"),
    @JsonSubTypes.Type(value = ClusterMessage.Ack.class, name = "ack")
})
sealed interface ClusterMessage {
    /**
     * Everything {@code node} holds, as of its delta {@code version}: sent to every peer on every
     * view change, and to a peer that asks with {@link Resync}.
     */
    record Snapshot(String node, long version, Map<String, UserState> users) implements ClusterMessage {}

    /**
     * What changed of one user on {@code node} (a session opened or closed, a room joined or parted):
     * the node's {@code version}-th delta; answered with an {@link Ack} of the same seq. Its size
     * does not depend on the user's other rooms.
     */
    record Delta(String node, long version, long seq, UserDelta change) implements ClusterMessage {}

    /** {@code node} missed a {@link Delta} of the receiver and asks for its {@link Snapshot}. */
    record Resync(String node) implements ClusterMessage {}

    /** A chat message for the receiver's sessions; answered with an {@link Ack} of the same seq. */
    record Deliver(long seq, String msg, String from, String to, String text, String ts) implements ClusterMessage {}

    /** The receiver has applied the {@link Delta} or handed the {@link Deliver} of this seq to its sessions. */
    record Ack(long seq) implements ClusterMessage {}
}
