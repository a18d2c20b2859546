package org.tlschat.server.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import org.tlschat.server.hub.UserState;

/** What nodes say to each other on the cluster bus. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClusterMessage.Snapshot.class, name = "snapshot"),
    @JsonSubTypes.Type(value = ClusterMessage.Change.class, name = "change"),
    @JsonSubTypes.Type(value = ClusterMessage.Deliver.class, name = "deliver"),
    @JsonSubTypes.Type(value = ClusterMessage.Ack.class, name = "ack")
})
sealed interface ClusterMessage {
    /** Everything {@code node} holds: sent to every peer on every view change. */
    record Snapshot(String node, Map<String, UserState> users) implements ClusterMessage {}

    /** {@code node}'s new state of one user; answered with an {@link Ack} of the same seq. */
    record Change(String node, UserState state, long seq) implements ClusterMessage {}

    /** A chat message for the receiver's sessions; answered with an {@link Ack} of the same seq. */
    record Deliver(long seq, String msg, String from, String to, String text, String ts) implements ClusterMessage {}

    /** The receiver has applied the {@link Change} or handed the {@link Deliver} of this seq to its sessions. */
    record Ack(long seq) implements ClusterMessage {}
}
