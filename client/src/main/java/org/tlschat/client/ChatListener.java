package org.tlschat.client;

import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.ServerFrame;

/**
 * What a {@link ChatClient} reports without being asked. Every method is called on the client's
 * Netty event loop thread, one at a time and in the order the frames arrived: keep them short and
 * never block in them (in particular, do not {@code join()} a future of the same client).
 */
public interface ChatListener {
    /** No-op listener. */
    ChatListener NONE = new ChatListener() {};

    /** A message to this user or to a room this session has joined. */
    default void onMessage(ServerFrame.Msg msg) {}

    /** A user joined or left a shared room, or came online or went offline. */
    default void onPresence(ServerFrame.Presence presence) {}

    /** An ERR that answers no request (no {@code re}), e.g. a fatal IDLE_TIMEOUT or REVOKED. */
    default void onError(ServerFrame.Err err) {}

    /**
     * The connection to {@code lost} ended ({@code reason} as for {@link #onClosed}) and the client
     * is reconnecting: requests made now wait for the new connection; those in flight have failed.
     */
    default void onReconnecting(HostPort lost, String reason) {}

    /**
     * The session is back, on {@code server}, with a new {@code welcome} (a new session id), and has
     * rejoined the rooms of {@link ChatClient#rooms()}.
     */
    default void onReconnected(HostPort server, ServerFrame.Welcome welcome) {}

    /**
     * The session ended: {@code reason} is the BYE reason ({@code quit}, {@code shutdown}, an error
     * code), the code of a fatal ERR, or {@code "connection lost"}, when the client was closed or
     * reconnecting is pointless ({@code REVOKED}, {@code AUTH_FAILED}, ...) or switched off; or, when
     * reconnecting failed, why: e.g. {@code "no server answered for 60 s (cannot reach ...)"} or
     * {@code "the server refused your certificate: it is revoked"}. Called once, and only for a
     * session that {@link ChatClient#connect} returned; never while the client is reconnecting.
     */
    default void onClosed(String reason) {}
}
