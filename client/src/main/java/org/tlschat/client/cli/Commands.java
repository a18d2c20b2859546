package org.tlschat.client.cli;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ClientException;
import org.tlschat.protocol.ServerFrame.UserEntry;

/**
 * The commands of the interactive and script modes, one line at a time: {@code /list [#room]},
 * {@code /msg USER TEXT}, {@code /join #room}, {@code /part [#room]}, {@code /quit}, {@code /help},
 * or plain text for the current room. Waits for each reply; an ERR is thrown as
 * {@link org.tlschat.client.ChatErrorException}, a malformed line as {@link CommandMistake}.
 */
final class Commands {
    static final List<String> HELP = List.of(
            "/list              users online (with their session counts)",
            "/list #room        members of a room",
            "/msg USER TEXT     a direct message",
            "/join #room        join a room and make it the current room",
            "/part [#room]      leave a room (default: the current room)",
            "/quit              leave (also Ctrl-D)",
            "TEXT               a message to the current room");

    /** How long a reply may take before the command gives up. */
    private static final long REPLY_TIMEOUT_SECONDS = 30;

    private final ChatClient client;
    private final Consumer<String> print;
    private volatile String currentRoom;

    Commands(ChatClient client, Consumer<String> print) {
        this.client = client;
        this.print = print;
    }

    String currentRoom() {
        return currentRoom;
    }

    /** Runs one line; false when it was {@code /quit}. */
    boolean execute(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return true;
        }
        if (!text.startsWith("/")) {
            String room = currentRoom;
            if (room == null) {
                throw new CommandMistake("no current room: /join #room first, or /msg USER TEXT");
            }
            await(client.send(room, line));
            return true;
        }
        String[] words = text.split("\\s+", 3);
        String command = words[0];
        switch (command) {
            case "/help" -> HELP.forEach(print);
            case "/list" -> {
                List<UserEntry> users = await(client.list(words.length > 1 ? words[1] : null));
                users.forEach(user -> print.accept(Formats.user(user)));
            }
            case "/msg" -> {
                if (words.length < 3) {
                    throw new CommandMistake("usage: /msg USER TEXT");
                }
                await(client.send(words[1], words[2]));
            }
            case "/join" -> {
                if (words.length != 2) {
                    throw new CommandMistake("usage: /join #room");
                }
                await(client.join(words[1]));
                currentRoom = words[1];
            }
            case "/part" -> {
                String room = words.length > 1 ? words[1] : currentRoom;
                if (room == null || words.length > 2) {
                    throw new CommandMistake("usage: /part #room");
                }
                await(client.part(room));
                if (room.equals(currentRoom)) {
                    List<String> left = List.copyOf(client.rooms());
                    currentRoom = left.isEmpty() ? null : left.get(left.size() - 1);
                }
            }
            case "/quit" -> {
                return false;
            }
            default -> throw new CommandMistake("unknown command " + command + " (try /help)");
        }
        return true;
    }

    /** The reply of {@code future}; its failure (ERR, closed connection) rethrown as is. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ClientException failure) {
                throw failure;
            }
            throw new ClientException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new ClientException("no reply from the server within " + REPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
    }
}
