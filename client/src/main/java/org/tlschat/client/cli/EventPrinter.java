package org.tlschat.client.cli;

import java.time.ZoneId;
import java.util.Set;
import java.util.function.Consumer;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ChatListener;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.ServerFrame;

/**
 * What the CLI shows of a session's events, one line each (a message of several lines: its further
 * lines marked, see {@link SafeText#block}): messages, presence and errors to
 * {@code print}; the reconnect notices ({@code * connection to 127.0.0.1:7441 lost (connection
 * lost); reconnecting...}, {@code * reconnected to 127.0.0.1:7442 as alice (rejoined #ops)}) to
 * {@code notice} — above the prompt when interactive, stderr in script mode. Text from the network
 * is shown through {@link SafeText}.
 */
final class EventPrinter implements ChatListener {
    private final Consumer<String> print;
    private final Consumer<String> notice;
    private final ZoneId zone;
    private volatile ChatClient client;

    EventPrinter(Consumer<String> print, Consumer<String> notice, ZoneId zone) {
        this.print = print;
        this.notice = notice;
        this.zone = zone;
    }

    /** The client whose rooms a reconnect notice names; returns it. */
    ChatClient attach(ChatClient chatClient) {
        client = chatClient;
        return chatClient;
    }

    @Override
    public void onMessage(ServerFrame.Msg msg) {
        print.accept(Formats.message(msg, zone));
    }

    @Override
    public void onPresence(ServerFrame.Presence presence) {
        print.accept(Formats.presence(presence, zone));
    }

    @Override
    public void onError(ServerFrame.Err err) {
        print.accept("error: " + SafeText.line(err.message()) + " (" + err.code() + ")");
    }

    @Override
    public void onReconnecting(HostPort lost, String reason) {
        notice.accept("* connection to " + lost + " lost (" + SafeText.line(reason) + "); reconnecting...");
    }

    @Override
    public void onReconnected(HostPort server, ServerFrame.Welcome welcome) {
        ChatClient c = client;
        Set<String> rooms = c == null ? Set.of() : c.rooms(); // rejoined by now
        notice.accept("* reconnected to " + server + " as " + SafeText.line(welcome.user())
                + (rooms.isEmpty() ? "" : " (rejoined " + SafeText.line(String.join(" ", rooms)) + ")"));
    }
}
