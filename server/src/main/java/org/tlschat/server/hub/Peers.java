package org.tlschat.server.hub;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tlschat.protocol.ServerFrame;

/** The other nodes of the cluster, as the Hub sees them. */
public interface Peers {
    /** A single node: nobody to tell, nowhere to forward. */
    Peers NONE = new Peers() {
        @Override
        public CompletableFuture<Void> publish(long version, UserDelta delta) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> deliver(List<String> nodes, ServerFrame.Msg msg) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /**
     * Tells every other node what changed of one user here ({@code version}: this node's count of
     * deltas, see {@code Directory}), in order with everything else sent; completes once each peer
     * has applied it (or left the view, or the delivery deadline passed).
     */
    CompletableFuture<Void> publish(long version, UserDelta delta);

    /** Has {@code nodes} deliver {@code msg} to their sessions; completes once each accepted it. */
    CompletableFuture<Void> deliver(List<String> nodes, ServerFrame.Msg msg);
}
