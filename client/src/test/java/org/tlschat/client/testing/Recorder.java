package org.tlschat.client.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tlschat.client.ChatListener;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.ServerFrame;

/** A listener that keeps everything it is told, for assertions. */
public final class Recorder implements ChatListener {
    public final List<ServerFrame.Msg> messages = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.Presence> presence = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.Err> errors = new CopyOnWriteArrayList<>();
    public final List<String> closed = new CopyOnWriteArrayList<>();
    /** onReconnecting: the lost server and the reason. */
    public final List<Map.Entry<HostPort, String>> reconnecting = new CopyOnWriteArrayList<>();
    /** onReconnected: the new server and its WELCOME. */
    public final List<Map.Entry<HostPort, ServerFrame.Welcome>> reconnected = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(ServerFrame.Msg msg) {
        messages.add(msg);
    }

    @Override
    public void onPresence(ServerFrame.Presence event) {
        presence.add(event);
    }

    @Override
    public void onError(ServerFrame.Err err) {
        errors.add(err);
    }

    @Override
    public void onReconnecting(HostPort lost, String reason) {
        reconnecting.add(Map.entry(lost, reason));
    }

    @Override
    public void onReconnected(HostPort server, ServerFrame.Welcome welcome) {
        reconnected.add(Map.entry(server, welcome));
    }

    @Override
    public void onClosed(String reason) {
        closed.add(reason);
    }
}
