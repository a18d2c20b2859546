package org.tlschat.client;

import org.tlschat.protocol.ServerFrame;

/**
 * What a {@link ChatClient} reports without being asked. Every method is called on the client's
 * Netty event loop thread, one at a time and in the order the frames arrived: keep them short and
 * never block in them (in particular, do not {@code join()} a future of the same client).
 */
public interface ChatListener {
    /** No-op listener. */
    ChatListener NONE = new ChatListener() {
    };

    /** A message to this user or to a room this session has joined. */
    default void onMessage(ServerFrame.Msg msg) {
    }

    /** A user joined or left a shared room, or came online or went offline. */
    default void onPresence(ServerFrame.Presence presence) {
    }

    /** An ERR that answers no request (no {@code re}), e.g. a fatal IDLE_TIMEOUT or REVOKED. */
    default void onError(ServerFrame.Err err) {
    }

    /**
     * The session ended: {@code reason} is the BYE reason ({@code quit}, {@code shutdown}, an error
     * code), the code of a fatal ERR, or {@code "connection lost"}. Called once, and only for a
     * session that {@link ChatClient#connect} returned.
     */
    default void onClosed(String reason) {
    }
}
