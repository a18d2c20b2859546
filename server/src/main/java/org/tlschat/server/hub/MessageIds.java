package org.tlschat.server.hub;

import java.util.concurrent.atomic.AtomicLong;

/** Message ids unique in the cluster: the node's name and a per-node counter. */
final class MessageIds {
    private final String node;
    private final AtomicLong next = new AtomicLong();

    MessageIds(String node) {
        this.node = node;
    }

    String next() {
        String n = Long.toString(next.incrementAndGet());
        return node + "-" + "0".repeat(Math.max(0, 12 - n.length())) + n;
    }
}
