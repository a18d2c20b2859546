package org.tlschat.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.ServerFrame.UserEntry;
import org.tlschat.protocol.ServerFrame.Welcome;

/**
 * A tlschat session: {@link #connect} dials the servers of {@link ClientOptions} in order, waits for
 * the TLS handshake and WELCOME (answering AUTH_REQUIRED with AUTH in password mode), and returns.
 *
 * <p>Each request method sends one frame with a fresh {@code id} and returns a future completed by
 * the reply carrying that id as {@code re}, or failed with {@link ChatErrorException} when the reply
 * is an ERR, or with {@link ClientException} when the connection closes first.
 *
 * <p>Failover: when the connection of an established session is lost (or the server shuts down or
 * cuts it for idleness), the client reconnects for up to {@link ClientOptions#reconnectFor()},
 * trying the other addresses of the list first (round robin from the one after the lost one) with
 * {@link Backoff#DEFAULT} waits, then rejoins {@link #rooms()}. Requests in flight when the
 * connection was lost fail ("the connection closed (connection lost)") and are never resent: a SEND
 * may or may not have been delivered. Requests made while reconnecting wait, in order, for the new
 * connection, and fail if the client gives up. No reconnect after {@link #quit()}, {@link #close()},
 * or an end that would happen again (REVOKED, AUTH_FAILED, ...: {@link #FINAL_REASONS}).
 *
 * <p>Threads: every method may be called from any thread. Futures are completed, and the
 * {@link ChatListener} is called, on the client's single Netty event loop thread, which also owns
 * the connection state and runs the reconnects: do not block there (no {@code join()} inside a
 * listener or a {@code thenAccept} of this client's futures).
 */
public final class ChatClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

    /** Ends after which the client does not reconnect: asked for, or refused again if it came back. */
    static final Set<String> FINAL_REASONS = Set.of(
            ServerFrame.Bye.QUIT.reason(),
            "closed",
            ErrorCode.REVOKED.name(),
            ErrorCode.AUTH_FAILED.name(),
            ErrorCode.AUTH_TIMEOUT.name(),
            ErrorCode.TOO_MANY_ERRORS.name(),
            ErrorCode.FRAME_TOO_LARGE.name());

    private final ClientOptions options;
    private final ChatListener listener;
    private final Dialer dialer;
    private final AtomicLong ids = new AtomicLong();
    private final Set<String> rooms = new LinkedHashSet<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    /** A request made while reconnecting, sent once connected. */
    private record Waiting(Function<String, Request> make, CompletableFuture<ServerFrame> reply) {}

    // written on the event loop only
    private volatile Connection current;
    private volatile HostPort server;
    private volatile Welcome welcome;
    private volatile boolean closing;
    private Failover failover;
    private final Queue<Waiting> waiting = new ArrayDeque<>();

    private ChatClient(ClientOptions options, ChatListener listener) {
        this.options = options;
        this.listener = listener == null ? ChatListener.NONE : listener;
        this.dialer = new Dialer(options);
    }

    /**
     * Connects to the first server of {@code options} that answers and returns once WELCOME has
     * arrived. Throws {@link ConnectFailure} with a one-line message for a person.
     */
    public static ChatClient connect(ClientOptions options, ChatListener listener) {
        ChatClient client = new ChatClient(options, listener);
        try {
            client.open();
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- the typed API

    /** The WELCOME of this session's current (or last) connection: user, session id, node. */
    public Welcome welcome() {
        return welcome;
    }

    /** The authenticated user of this session. */
    public String user() {
        return welcome.user();
    }

    /** The server this session is (or was last) connected to. */
    public HostPort server() {
        return server;
    }

    public ClientOptions options() {
        return options;
    }

    /** The rooms this session has joined (successful JOINs minus successful PARTs), in join order. */
    public Set<String> rooms() {
        synchronized (rooms) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(rooms));
        }
    }

    /** True until the session has ended (quit, closed, or reconnecting gave up); also while reconnecting. */
    public boolean isOpen() {
        return !closed.isDone();
    }

    /** True while the session has a working connection (false while reconnecting). */
    public boolean isConnected() {
        return current != null;
    }

    /** Completed with the close reason when the session ends, after {@link ChatListener#onClosed} returned. */
    public CompletableFuture<String> closeFuture() {
        return closed.copy();
    }

    /** LIST: every user online anywhere in the cluster. */
    public CompletableFuture<List<UserEntry>> list() {
        return list(null);
    }

    /** LIST of a room's members ({@code room} null: every online user). */
    public CompletableFuture<List<UserEntry>> list(String room) {
        return request(id -> new Request.ListUsers(id, room), ServerFrame.Users.class)
                .thenApply(ServerFrame.Users::users);
    }

    /** SEND to a user or a {@code #room}; completed with the message id. */
    public CompletableFuture<String> send(String to, String text) {
        return request(id -> new Request.Send(id, to, text), ServerFrame.Ok.class)
                .thenApply(ServerFrame.Ok::msg);
    }

    /** JOIN a room; remembered in {@link #rooms()} once the server has said OK. */
    public CompletableFuture<Void> join(String room) {
        return request(id -> new Request.Join(id, room), ServerFrame.Ok.class).thenApply(ok -> {
            synchronized (rooms) {
                rooms.add(room);
            }
            return null;
        });
    }

    /** PART a room; forgotten in {@link #rooms()} once the server has said OK. */
    public CompletableFuture<Void> part(String room) {
        return request(id -> new Request.Part(id, room), ServerFrame.Ok.class).thenApply(ok -> forget(room));
    }

    /** PING; completed with the round-trip time when PONG arrives. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return request(Request.Ping::new, ServerFrame.Pong.class)
                .thenApply(pong -> Duration.ofNanos(System.nanoTime() - start));
    }

    /** QUIT (or stop reconnecting); completed with the BYE reason ({@code quit}) once the session has ended. */
    public CompletableFuture<String> quit() {
        closing = true;
        dialer.onLoop(() -> {
            if (current != null) {
                current.quit();
            } else if (failover != null) {
                end(ServerFrame.Bye.QUIT.reason());
            }
        });
        return closed.copy();
    }

    /** Closes the connection (without QUIT), stops reconnecting and the event loop; waits unless called on it. */
    @Override
    public void close() {
        closing = true;
        dialer.onLoop(() -> {
            if (current != null) {
                current.close();
            } else if (failover != null) {
                end("closed");
            }
        });
        dialer.close();
    }

    // ---------------------------------------------------------------- connecting and reconnecting

    private void open() {
        List<ConnectFailure> unreachable = new ArrayList<>();
        for (HostPort address : options.servers()) {
            try {
                await(address, attempt(address));
                return;
            } catch (ConnectFailure failure) {
                if (!failure.unreachable()) {
                    throw failure;
                }
                LOG.debug("{}", failure.getMessage());
                unreachable.add(failure);
            }
        }
        if (unreachable.size() == 1) {
            throw unreachable.get(0);
        }
        throw new ConnectFailure(
                "cannot reach any server: "
                        + unreachable.stream()
                                .map(f -> f.getMessage().replaceFirst("^cannot reach ", ""))
                                .collect(Collectors.joining("; ")),
                unreachable.get(0).getCause(),
                ConnectFailure.Kind.UNREACHABLE);
    }

    private void await(HostPort address, CompletableFuture<?> connecting) {
        try {
            connecting.get(3 * options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Failures.connectFailure(address, e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectFailure("no session from " + address + " in time (is it a tlschat server?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectFailure("interrupted while connecting to " + address, e);
        }
    }

    /**
     * Dials {@code address}; completed (on the loop) with the connection once WELCOME has arrived,
     * the rooms are rejoined, and it is the session's connection.
     */
    private CompletableFuture<Connection> attempt(HostPort address) {
        Connection connection = new Connection(address, options, owner);
        CompletableFuture<Connection> ready =
                connection.welcomed.thenCompose(w -> rejoin(connection)).thenApply(rejoined -> adopt(connection));
        dialer.dial(address, connection, connection.welcomed);
        return ready;
    }

    /** On the loop: JOINs every room of {@link #rooms()}; a room the server refuses is forgotten. */
    private CompletableFuture<Void> rejoin(Connection connection) {
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String room : rooms()) {
            CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
            connection.send(new Request.Join(nextId(), room), reply);
            joins.add(reply.handle((ok, failure) -> {
                if (failure instanceof ChatErrorException refused) {
                    LOG.warn("could not rejoin {}: {}", room, refused.getMessage());
                    return forget(room);
                }
                if (failure != null) {
                    throw new CompletionException(failure);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new));
    }

    /** On the loop: makes {@code connection} the session's, and sends the requests that waited for it. */
    private Connection adopt(Connection connection) {
        if (closing || !connection.isActive()) {
            connection.close();
            throw new ConnectFailure(
                    "the connection to " + connection.address + " closed before the session was ready", null);
        }
        current = connection;
        server = connection.address;
        welcome = connection.welcomed.join();
        LOG.debug("connected to {} as {} (session {})", connection.address, welcome.user(), welcome.session());
        for (Waiting w; (w = waiting.poll()) != null; ) {
            dispatch(w.make(), w.reply());
        }
        return connection;
    }

    /** On the loop: the session's connection to {@code address} ended with {@code reason}. */
    private void lost(HostPort address, String reason) {
        current = null;
        if (closing || FINAL_REASONS.contains(reason) || options.reconnectFor().isZero()) {
            end(reason);
            return;
        }
        LOG.info("connection to {} lost ({}); reconnecting", address, reason);
        failover = new Failover(options, dialer, failoverSession, address, reason);
        tell(l -> l.onReconnecting(address, reason));
        failover.scheduleNext();
    }

    /** On the loop: the session is over; fails what waits and tells the listener once. */
    private void end(String reason) {
        if (failover != null) {
            failover.cancel();
            failover = null;
        }
        for (Waiting w; (w = waiting.poll()) != null; ) {
            w.reply().completeExceptionally(new ClientException("not connected (" + reason + ")"));
        }
        if (!closed.isDone()) {
            tell(l -> l.onClosed(reason));
            closed.complete(reason); // after the listener: closeFuture() waiters see onClosed done
        }
    }

    // ---------------------------------------------------------------- requests

    private String nextId() {
        return Long.toString(ids.incrementAndGet(), 36);
    }

    private Void forget(String room) {
        synchronized (rooms) {
            rooms.remove(room);
        }
        return null;
    }

    private <T extends ServerFrame> CompletableFuture<T> request(Function<String, Request> make, Class<T> replyType) {
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        if (!dialer.onLoop(() -> dispatch(make, reply))) {
            reply.completeExceptionally(notConnected());
        }
        return reply.thenApply(frame -> {
            if (!replyType.isInstance(frame)) {
                throw new ClientException("unexpected reply " + frame.getClass().getSimpleName());
            }
            return replyType.cast(frame);
        });
    }

    /** On the loop: sends now, waits for the reconnect, or fails when the session is over. */
    private void dispatch(Function<String, Request> make, CompletableFuture<ServerFrame> reply) {
        if (current != null) {
            current.send(make.apply(nextId()), reply);
        } else if (failover != null) {
            waiting.add(new Waiting(make, reply));
        } else {
            reply.completeExceptionally(notConnected());
        }
    }

    private ClientException notConnected() {
        return new ClientException(
                "not connected" + (closed.isDone() ? " (the connection closed: " + closed.getNow("") + ")" : ""));
    }

    private void tell(Consumer<ChatListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("a ChatListener failed", e);
        }
    }

    /** What the connections need from this client (a field, to keep these methods out of the public API). */
    private final Connection.Owner owner = new Connection.Owner() {
        @Override
        public String nextId() {
            return ChatClient.this.nextId();
        }

        @Override
        public boolean closing() {
            return closing;
        }

        @Override
        public void tell(Consumer<ChatListener> call) {
            ChatClient.this.tell(call);
        }

        @Override
        public void ended(Connection connection, String reason) {
            if (connection == current) {
                lost(connection.address, reason);
            }
        }
    };

    /** What a failover needs from this client (a field, like {@link #owner}). */
    private final Failover.Session failoverSession = new Failover.Session() {
        @Override
        public CompletableFuture<Connection> attempt(HostPort address) {
            return ChatClient.this.attempt(address);
        }

        @Override
        public boolean isCurrent(Failover failover) {
            return ChatClient.this.failover == failover;
        }

        @Override
        public void reconnected(HostPort address) {
            failover = null;
            tell(l -> l.onReconnected(address, welcome));
        }

        @Override
        public void end(String reason) {
            ChatClient.this.end(reason);
        }
    };
}
