package org.tlschat.protocol;

import java.time.Duration;

/** The protocol's limits and fixed identifiers, in one place (PROTOCOL.md §2, §3, §6). */
public final class Limits {

    /** Longest line in bytes (without the newline): bounds what one connection can make us buffer. */
    public static final int MAX_FRAME_BYTES = 65_536;

    /** Longest message text in code points: a chat line, not a file transfer. */
    public static final int MAX_TEXT_CODE_POINTS = 8_192;

    /** Longest request {@code id} in characters: enough for a UUID or a counter, small enough to echo. */
    public static final int MAX_ID_CHARS = 64;

    /** Invalid frames tolerated on one connection before TOO_MANY_ERRORS: a confused client gets hints, a fuzzer gets cut. */
    public static final int MAX_BAD_FRAMES = 10;

    /** Failed AUTH attempts on one connection before AUTH_FAILED turns fatal: slows down password guessing. */
    public static final int MAX_AUTH_FAILURES = 3;

    /** Time a password-mode connection has to authenticate: unauthenticated sockets must not linger. */
    public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    /** Time a TLS handshake may take: a peer that stalls the handshake holds a socket and memory. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Silence after which a connection is closed with IDLE_TIMEOUT: three missed pings, so dead peers go. */
    public static final int IDLE_TIMEOUT_SECONDS = 90;

    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(IDLE_TIMEOUT_SECONDS);

    /** How often clients send PING: well inside the idle timeout and typical NAT idle timers. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(30);

    /** This protocol's version; it changes only with an incompatible wire change. */
    public static final String PROTOCOL_VERSION = "tlschat/1";

    /** The ALPN id clients offer: the protocol version, so a server can refuse a client of another version. */
    public static final String ALPN = PROTOCOL_VERSION;

    /** The server software and version announced in WELCOME: for bug reports, never for feature checks. */
    public static final String SERVER_NAME = "tlschat/0.1.0";

    private Limits() {}
}
