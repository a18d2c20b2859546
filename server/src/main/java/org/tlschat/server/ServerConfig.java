package org.tlschat.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.TlsVersion;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;
import org.tlschat.server.cluster.ClusterConfig;

/**
 * Everything a server is started with, grouped the way an operator thinks of it: where it listens,
 * its TLS files, how clients authenticate, what one session may do, how long the server waits, and
 * the cluster. Each group holds its own defaults. Built by {@code tlschat server} from flags,
 * TLSCHAT_* environment variables and the config file, or by {@link #builder} in tests and the demo.
 *
 * @param nodeName this node's name in session and message ids and in the cluster; null = the name in
 *                 the node certificate
 * @param cluster  null runs a single node
 */
public record ServerConfig(
        Listeners listeners,
        TlsFiles tls,
        Authentication authentication,
        SessionLimits limits,
        Timeouts timeouts,
        String nodeName,
        ClusterConfig cluster,
        PasswordGuessing guessing,
        Quotas quotas) {

    public ServerConfig {
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(guessing, "guessing");
        Objects.requireNonNull(quotas, "quotas");
    }

    /** Every default, for the TLS files given. */
    public static Builder builder(TlsFiles tls) {
        return new Builder(tls);
    }

    /** The node's files in a PKI directory: its CA, certificate, key and CRL, TLS 1.3 only. */
    public static Builder builder(PkiLayout pki, String node) {
        return builder(new TlsFiles(pki.caCert(), pki.nodeCert(node), pki.nodeKey(node), pki.crl(), TlsVersion.TLS13));
    }

    public Builder toBuilder() {
        return new Builder(tls)
                .listeners(listeners)
                .authentication(authentication)
                .limits(limits)
                .timeouts(timeouts)
                .nodeName(nodeName)
                .cluster(cluster)
                .guessing(guessing)
                .quotas(quotas);
    }

    /**
     * The client port, and the admin HTTP port for /healthz, /readyz and /metrics.
     *
     * @param admin null turns the admin listener off
     */
    public record Listeners(InetSocketAddress client, InetSocketAddress admin) {
        public static final int DEFAULT_PORT = HostPort.DEFAULT_PORT;
        public static final int DEFAULT_ADMIN_PORT = 9090;
        public static final Listeners DEFAULT = new Listeners(
                new InetSocketAddress("0.0.0.0", DEFAULT_PORT), new InetSocketAddress("127.0.0.1", DEFAULT_ADMIN_PORT));

        public Listeners {
            Objects.requireNonNull(client, "client");
        }
    }

    /**
     * The node's TLS material and the oldest TLS version it accepts.
     *
     * @param crl null means no revocation list
     */
    public record TlsFiles(Path ca, Path cert, Path key, Path crl, TlsVersion minVersion) {
        public TlsFiles {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(minVersion, "minVersion");
        }

        public TlsFiles withoutCrl() {
            return new TlsFiles(ca, cert, key, null, minVersion);
        }

        public TlsFiles withMinVersion(TlsVersion version) {
            return new TlsFiles(ca, cert, key, crl, version);
        }
    }

    /**
     * How clients prove who they are.
     *
     * @param users the password file, only in {@link AuthMode#PASSWORD}
     */
    public record Authentication(AuthMode mode, Path users) {
        public static final Authentication MTLS = new Authentication(AuthMode.MTLS, null);

        public Authentication {
            Objects.requireNonNull(mode, "mode");
            if (mode == AuthMode.PASSWORD && users == null) {
                throw new IllegalArgumentException("password mode needs a users file (--users)");
            }
        }

        public static Authentication password(Path users) {
            return new Authentication(AuthMode.PASSWORD, users);
        }
    }

    /**
     * What one session may send and leave unread.
     *
     * @param maxFrame        longest accepted line, in bytes
     * @param rateLimit       messages per second, 0 = off
     * @param rateBurst       messages a session may send at once
     * @param maxPendingBytes unsent bytes before the session counts as a slow consumer
     */
    public record SessionLimits(int maxFrame, int rateLimit, int rateBurst, int maxPendingBytes) {
        public static final int MIN_FRAME = 256;
        public static final int MAX_FRAME = 16 * 1024 * 1024;
        /** 100 messages/s with bursts of 200: generous for people, a wall for floods. */
        public static final int DEFAULT_RATE_LIMIT = 100;

        public static final int DEFAULT_RATE_BURST = 200;
        public static final int MAX_RATE_LIMIT = 1_000_000;
        public static final int MAX_RATE_BURST = 1_000_000;
        /** Unsent bytes per session before it counts as a slow consumer: bounds memory per connection. */
        public static final int DEFAULT_MAX_PENDING_BYTES = 8 * 1024 * 1024;

        public static final int MIN_PENDING_BYTES = 64 * 1024;
        /**
         * Unsent bytes a connection may hold before it has a session (TLS, AUTH_REQUIRED, the answers to
         * AUTH): an unauthenticated peer gets no more of the server's memory than this.
         */
        public static final int PRE_AUTH_PENDING_BYTES = 64 * 1024;

        public static final SessionLimits DEFAULT = new SessionLimits(
                Limits.MAX_FRAME_BYTES, DEFAULT_RATE_LIMIT, DEFAULT_RATE_BURST, DEFAULT_MAX_PENDING_BYTES);

        /** The same limits with another message rate (0 = off) and burst. */
        public SessionLimits withRate(int limit, int burst) {
            return new SessionLimits(maxFrame, limit, burst, maxPendingBytes);
        }
    }

    /**
     * How long the server waits for a peer.
     *
     * @param idle           a silent connection is closed after this
     * @param handshake      the TLS handshake must finish within this
     * @param authentication password mode: AUTH must succeed within this
     * @param closeGrace     a closing connection's last frame (ERR, BYE) gets this long to be written;
     *                       then the socket is closed whether or not it was (a peer that stops reading)
     * @param welcome        from TCP accept to the session (WELCOME): the TLS handshake, AUTH and all,
     *                       also for a peer that never starts TLS
     */
    public record Timeouts(
            Duration idle, Duration handshake, Duration authentication, Duration closeGrace, Duration welcome) {
        public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(2);
        public static final Duration MIN_CLOSE_GRACE = Duration.ofMillis(100);
        public static final Duration MAX_CLOSE_GRACE = Duration.ofSeconds(2);
        /** Accept to WELCOME: a handshake and an AUTH of a stock client take well under a second. */
        public static final int DEFAULT_WELCOME_SECONDS = 15;

        public static final Duration DEFAULT_WELCOME = Duration.ofSeconds(DEFAULT_WELCOME_SECONDS);
        public static final Timeouts DEFAULT = new Timeouts(
                Limits.IDLE_TIMEOUT,
                Limits.HANDSHAKE_TIMEOUT,
                Limits.AUTH_TIMEOUT,
                DEFAULT_CLOSE_GRACE,
                DEFAULT_WELCOME);

        public Timeouts {
            Objects.requireNonNull(closeGrace, "closeGrace");
            Objects.requireNonNull(welcome, "welcome");
            if (closeGrace.compareTo(MIN_CLOSE_GRACE) < 0 || closeGrace.compareTo(MAX_CLOSE_GRACE) > 0) {
                throw new IllegalArgumentException("closeGrace must be between " + MIN_CLOSE_GRACE.toMillis() + " and "
                        + MAX_CLOSE_GRACE.toMillis() + " ms: " + closeGrace.toMillis());
            }
        }

        /** These timeouts with the default close grace and welcome deadline. */
        public Timeouts(Duration idle, Duration handshake, Duration authentication) {
            this(idle, handshake, authentication, DEFAULT_CLOSE_GRACE, DEFAULT_WELCOME);
        }

        public Timeouts withWelcome(Duration value) {
            return new Timeouts(idle, handshake, authentication, closeGrace, value);
        }
    }

    /**
     * Password mode: how many wrong passwords one source address may try, per account and in
     * total, within a window that starts with its first wrong password; past that, AUTH is refused
     * ({@code RATE_LIMITED}) until the window ends. {@code queue} bounds the logins waiting for a
     * hash check; past it, AUTH gets {@code BUSY}.
     *
     * @param perAccount wrong passwords for one account from one address per window
     * @param perAddress wrong passwords from one address (any accounts) per window
     * @param window     how long a window lasts
     * @param queue      logins waiting for a hash check, all accounts
     */
    public record PasswordGuessing(int perAccount, int perAddress, Duration window, int queue) {
        public static final int DEFAULT_PER_ACCOUNT = 5;
        public static final int DEFAULT_PER_ADDRESS = 30;
        public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
        public static final int DEFAULT_QUEUE = 256;
        public static final int MAX_GUESSES = 1_000_000;
        public static final int MAX_WINDOW_SECONDS = 86_400;
        public static final int MAX_QUEUE = 65_536;
        public static final PasswordGuessing DEFAULT =
                new PasswordGuessing(DEFAULT_PER_ACCOUNT, DEFAULT_PER_ADDRESS, DEFAULT_WINDOW, DEFAULT_QUEUE);

        public PasswordGuessing {
            Objects.requireNonNull(window, "window");
            if (perAccount < 1 || perAddress < 1 || queue < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("password guessing limits must be positive");
            }
        }
    }

    /**
     * What one session, one user and one source address may hold or ask for; 0 turns a limit off.
     * Past a limit a request gets a non-fatal ERR ({@code RATE_LIMITED}, {@code LIMIT_REACHED}), a
     * new session a fatal {@code LIMIT_REACHED}, a new TCP connection is closed at once.
     *
     * @param requestRate               requests of any op per second per session (SEND also counts
     *                                  against {@link SessionLimits#rateLimit})
     * @param requestBurst              requests a session may send at once
     * @param roomsPerSession           rooms one session may be in
     * @param sessionsPerUser           sessions of one user, cluster-wide
     * @param connectionsPerAddress     open connections from one source IP address
     * @param unauthenticated           connections without a session yet (no WELCOME), in total
     * @param unauthenticatedPerAddress connections without a session yet, from one source IP address
     */
    public record Quotas(
            int requestRate,
            int requestBurst,
            int roomsPerSession,
            int sessionsPerUser,
            int connectionsPerAddress,
            int unauthenticated,
            int unauthenticatedPerAddress) {
        /** Twice the message rate: SEND is bounded by its own rate, the rest of the ops by this one. */
        public static final int DEFAULT_REQUEST_RATE = 200;

        public static final int DEFAULT_REQUEST_BURST = 400;
        public static final int DEFAULT_ROOMS_PER_SESSION = 100;
        public static final int DEFAULT_SESSIONS_PER_USER = 32;
        /** Room for a NAT of many users; the benchmarks spread their connections over source addresses. */
        public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 256;

        public static final int DEFAULT_UNAUTHENTICATED = 1024;
        public static final int DEFAULT_UNAUTHENTICATED_PER_ADDRESS = 128;
        public static final int MAX = 1_000_000;

        public static final Quotas DEFAULT = new Quotas(
                DEFAULT_REQUEST_RATE,
                DEFAULT_REQUEST_BURST,
                DEFAULT_ROOMS_PER_SESSION,
                DEFAULT_SESSIONS_PER_USER,
                DEFAULT_CONNECTIONS_PER_ADDRESS,
                DEFAULT_UNAUTHENTICATED,
                DEFAULT_UNAUTHENTICATED_PER_ADDRESS);

        /** No quota at all (benchmarks, load tests). */
        public static final Quotas OFF = new Quotas(0, 1, 0, 0, 0, 0, 0);

        public Quotas {
            if (requestRate < 0
                    || requestBurst < 1
                    || roomsPerSession < 0
                    || sessionsPerUser < 0
                    || connectionsPerAddress < 0
                    || unauthenticated < 0
                    || unauthenticatedPerAddress < 0) {
                throw new IllegalArgumentException("quotas must be >= 0 (burst >= 1): " + this);
            }
        }

        /** The same quotas with another request rate (0 = off) and burst. */
        public Quotas withRequestRate(int rate, int burst) {
            return new Quotas(
                    rate,
                    burst,
                    roomsPerSession,
                    sessionsPerUser,
                    connectionsPerAddress,
                    unauthenticated,
                    unauthenticatedPerAddress);
        }
    }

    /** Starts from every group's defaults; {@link #build} checks the whole. */
    public static final class Builder {
        private TlsFiles tls;
        private Listeners listeners = Listeners.DEFAULT;
        private Authentication authentication = Authentication.MTLS;
        private SessionLimits limits = SessionLimits.DEFAULT;
        private Timeouts timeouts = Timeouts.DEFAULT;
        private String nodeName;
        private ClusterConfig cluster;
        private PasswordGuessing guessing = PasswordGuessing.DEFAULT;
        private Quotas quotas = Quotas.DEFAULT;

        private Builder(TlsFiles tls) {
            this.tls = tls;
        }

        /** The TLS files set so far. */
        public TlsFiles tls() {
            return tls;
        }

        public Builder tls(TlsFiles value) {
            tls = value;
            return this;
        }

        /** Changes the TLS files set so far (tests: no CRL, TLS 1.2). */
        public Builder tls(UnaryOperator<TlsFiles> change) {
            return tls(change.apply(tls));
        }

        public Builder listeners(Listeners value) {
            listeners = value;
            return this;
        }

        public Builder authentication(Authentication value) {
            authentication = value;
            return this;
        }

        public Builder limits(SessionLimits value) {
            limits = value;
            return this;
        }

        public Builder timeouts(Timeouts value) {
            timeouts = value;
            return this;
        }

        public Builder nodeName(String value) {
            nodeName = value;
            return this;
        }

        public Builder cluster(ClusterConfig value) {
            cluster = value;
            return this;
        }

        public Builder guessing(PasswordGuessing value) {
            guessing = value;
            return this;
        }

        public Builder quotas(Quotas value) {
            quotas = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    listeners, tls, authentication, limits, timeouts, nodeName, cluster, guessing, quotas);
        }
    }
}
