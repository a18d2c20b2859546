package org.tlschat.server.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.cli.CertificateOptions;
import org.tlschat.pki.cli.PkiOption;
import org.tlschat.pki.cli.TlsVersionConverter;
import org.tlschat.pki.cli.Usage;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Names;
import org.tlschat.server.AuthMode;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.ServerConfig.Listeners;
import org.tlschat.server.ServerConfig.PasswordGuessing;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.ServerConfig.TlsFiles;
import org.tlschat.server.cluster.ClusterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tlschat server}: runs one node in the foreground until SIGTERM or Ctrl-C. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a tlschat server node in the foreground; SIGTERM or Ctrl-C stops it "
                    + "gracefully (every client gets BYE).",
            "",
            "Every flag can also be set by the environment variable TLSCHAT_<FLAG> "
                    + "(e.g. TLSCHAT_LISTEN, TLSCHAT_RATE_LIMIT) or by a line 'flag = value' in the "
                    + "--config file. A flag on the command line wins over the environment, which wins "
                    + "over the file."
        },
        footer = {
            "",
            "Examples:",
            "  tlschat server --pki demo --node n1",
            "  tlschat server --ca ca.pem --cert n1.pem --key n1.key --crl crl.pem --listen 0.0.0.0:7443",
            "  tlschat server --pki demo --node n1 --auth password --users users.json",
            "  three nodes on one machine (see docs/cluster.md):",
            "  tlschat server --pki demo --node n1 --listen 127.0.0.1:7443 --admin 127.0.0.1:9090 \\",
            "      --cluster-listen 127.0.0.1:7800 --cluster-peers 127.0.0.1:7800,127.0.0.1:7801,127.0.0.1:7802"
        })
public final class ServerCommand implements Callable<Integer> {
    private static final int MAX_IDLE_TIMEOUT_SECONDS = 86_400;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of 'flag = value' lines.")
    Path config;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "0.0.0.0:7443",
            description = "Client TLS port (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT|off",
            defaultValue = "127.0.0.1:9090",
            description = "Admin HTTP for /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
    String admin;

    @Mixin
    PkiOption pki;

    @Option(
            names = "--node",
            paramLabel = "NAME",
            description = "Node certificate name in the --pki directory (default: the only one there).")
    String node;

    @Mixin
    CertificateOptions files;

    @Option(
            names = "--crl",
            paramLabel = "FILE",
            description = "Certificate revocation list (PEM); required with --ca/--cert/--key unless --no-crl.")
    Path crl;

    @Option(
            names = "--no-crl",
            description = "Run without a CRL: revocation is OFF and revoked certificates are accepted "
                    + "(with --pki, the directory's crl.pem is then not used).")
    boolean noCrl;

    @Option(
            names = "--auth",
            paramLabel = "mtls|password",
            defaultValue = "mtls",
            converter = AuthModeConverter.class,
            description = "mtls: identity from the client certificate; password: AUTH with --users "
                    + "(default: ${DEFAULT-VALUE}).")
    AuthMode auth;

    @Option(
            names = "--users",
            paramLabel = "FILE",
            description = "Password file for --auth password " + "(made with 'tlschat users add').")
    Path users;

    @Option(
            names = "--auth-guesses",
            paramLabel = "N",
            defaultValue = "" + PasswordGuessing.DEFAULT_PER_ACCOUNT,
            description = "Password mode: wrong passwords for one account from one address per "
                    + "--auth-window; then AUTH is refused until the window ends (default: ${DEFAULT-VALUE}).")
    int authGuesses;

    @Option(
            names = "--auth-guesses-per-address",
            paramLabel = "N",
            defaultValue = "" + PasswordGuessing.DEFAULT_PER_ADDRESS,
            description = "Password mode: wrong passwords from one address, any accounts, per --auth-window "
                    + "(default: ${DEFAULT-VALUE}).")
    int authGuessesPerAddress;

    @Option(
            names = "--auth-window",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Password mode: the window of --auth-guesses, from the first wrong password "
                    + "(default: ${DEFAULT-VALUE}).")
    int authWindowSeconds;

    @Option(
            names = "--auth-queue",
            paramLabel = "N",
            defaultValue = "" + PasswordGuessing.DEFAULT_QUEUE,
            description = "Password mode: logins waiting for a hash check; more get ERR BUSY "
                    + "(default: ${DEFAULT-VALUE}).")
    int authQueue;

    @Option(
            names = "--tls-min",
            paramLabel = "1.3|1.2",
            defaultValue = "1.3",
            converter = TlsVersionConverter.class,
            description = "Oldest TLS version accepted (default: ${DEFAULT-VALUE}).")
    TlsVersion tlsMin;

    @Option(
            names = "--max-frame",
            paramLabel = "BYTES",
            defaultValue = "" + Limits.MAX_FRAME_BYTES,
            description = "Longest accepted line (default: ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(
            names = "--rate-limit",
            paramLabel = "N",
            defaultValue = "" + SessionLimits.DEFAULT_RATE_LIMIT,
            description = "Messages per second per session, 0 = off (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(
            names = "--rate-burst",
            paramLabel = "N",
            defaultValue = "" + SessionLimits.DEFAULT_RATE_BURST,
            description = "Messages a session may send at once (default: ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(
            names = "--max-pending",
            paramLabel = "BYTES",
            defaultValue = "" + SessionLimits.DEFAULT_MAX_PENDING_BYTES,
            description = "Unsent bytes per session before it is cut off as a slow consumer "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(
            names = "--idle-timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + Limits.IDLE_TIMEOUT_SECONDS,
            description = "Close connections silent for this long (default: ${DEFAULT-VALUE}).")
    int idleSeconds;

    @Option(
            names = "--close-grace",
            paramLabel = "MILLIS",
            defaultValue = "2000",
            description = "A closing connection's last frame (ERR, BYE) gets this long, then the socket is "
                    + "closed anyway; also the most shutdown waits, 100 to 2000 (default: ${DEFAULT-VALUE}).")
    int closeGraceMillis;

    @Option(
            names = "--welcome-timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + Timeouts.DEFAULT_WELCOME_SECONDS,
            description = "Close connections without a session this long after the TCP accept: the TLS "
                    + "handshake, AUTH and all (default: ${DEFAULT-VALUE}).")
    int welcomeSeconds;

    @Option(
            names = "--request-rate",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_REQUEST_RATE,
            description = "Requests of any op per second per session, 0 = off; SEND also counts "
                    + "against --rate-limit (default: ${DEFAULT-VALUE}).")
    int requestRate;

    @Option(
            names = "--request-burst",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_REQUEST_BURST,
            description = "Requests a session may send at once (default: ${DEFAULT-VALUE}).")
    int requestBurst;

    @Option(
            names = "--max-rooms",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_ROOMS_PER_SESSION,
            description = "Rooms one session may be in, 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxRooms;

    @Option(
            names = "--max-sessions-per-user",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_SESSIONS_PER_USER,
            description = "Sessions of one user in the cluster, 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxSessionsPerUser;

    @Option(
            names = "--max-connections-per-address",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_CONNECTIONS_PER_ADDRESS,
            description = "Open connections from one source IP address, 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(
            names = "--max-unauthenticated",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_UNAUTHENTICATED,
            description = "Connections without a session yet, in total, 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxUnauthenticated;

    @Option(
            names = "--max-unauthenticated-per-address",
            paramLabel = "N",
            defaultValue = "" + Quotas.DEFAULT_UNAUTHENTICATED_PER_ADDRESS,
            description = "Connections without a session yet from one source IP address, 0 = no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxUnauthenticatedPerAddress;

    @Option(
            names = "--node-name",
            paramLabel = "NAME",
            description = "This node's name in ids, logs and the cluster; unique per replica "
                    + "(default: the name in the node certificate).")
    String nodeName;

    @Option(
            names = "--cluster-listen",
            paramLabel = "HOST:PORT",
            description = "Cluster port, mutual TLS with node certificates (default: none; "
                    + "0.0.0.0:7800 when --cluster-peers or --cluster-dns is given).")
    String clusterListen;

    @Option(
            names = "--cluster-peers",
            paramLabel = "HOST:PORT,...",
            description = "Static discovery: the cluster ports of the other nodes (this one may be listed too).")
    String clusterPeers;

    @Option(
            names = "--cluster-dns",
            paramLabel = "NAME",
            description = "DNS discovery: a name whose A records are all replicas (Compose service, "
                    + "Kubernetes headless service); every replica uses the same cluster port.")
    String clusterDns;

    @Option(
            names = "--cluster-advertise",
            paramLabel = "HOST",
            description = "Address other nodes should dial to reach this one (containers, NAT).")
    String clusterAdvertise;

    @Option(
            names = "--cluster-name",
            paramLabel = "NAME",
            defaultValue = ClusterConfig.DEFAULT_NAME,
            description = "Only nodes with the same cluster name form a cluster (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Override
    public Integer call() throws Exception {
        if (config != null && !Files.isReadable(config)) {
            throw Usage.of(spec).error("cannot read config file " + config);
        }
        return runUntilStopped(ChatServer.start(toConfig()));
    }

    /**
     * Blocks until SIGTERM or Ctrl-C, then shuts the server down gracefully and exits 0 (a stop
     * asked for is a success, not the JVM's 128+signal status); or until the server stops by
     * itself, e.g. because its own certificate was revoked: then returns 1.
     */
    public static int runUntilStopped(ChatServer server) throws InterruptedException {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            // the JVM is already exiting with 143 (SIGTERM) or 130 (Ctrl-C); the main thread's
                            // System.exit(0) would block forever, so the status is set here, after the clean stop
                            Runtime.getRuntime().halt(0);
                        },
                        "tlschat-shutdown"));
        server.awaitStopped();
        return 1;
    }

    ServerConfig toConfig() {
        Usage usage = Usage.of(spec);
        TlsFiles tls = tlsFiles(usage);
        if (auth == AuthMode.PASSWORD && users == null) {
            throw usage.error("--auth password needs --users FILE (create it with 'tlschat users add')");
        }
        if (auth == AuthMode.PASSWORD && !Files.isReadable(users)) {
            throw usage.error("cannot read users file " + users);
        }
        usage.requireRange("--max-frame", maxFrame, SessionLimits.MIN_FRAME, SessionLimits.MAX_FRAME);
        usage.requireRange("--rate-limit", rateLimit, 0, SessionLimits.MAX_RATE_LIMIT);
        usage.requireRange("--rate-burst", rateBurst, 1, SessionLimits.MAX_RATE_BURST);
        usage.requireRange("--max-pending", maxPending, SessionLimits.MIN_PENDING_BYTES, Integer.MAX_VALUE);
        usage.requireRange("--idle-timeout", idleSeconds, 1, MAX_IDLE_TIMEOUT_SECONDS);
        usage.requireRange("--auth-guesses", authGuesses, 1, PasswordGuessing.MAX_GUESSES);
        usage.requireRange("--auth-guesses-per-address", authGuessesPerAddress, 1, PasswordGuessing.MAX_GUESSES);
        usage.requireRange("--auth-window", authWindowSeconds, 1, PasswordGuessing.MAX_WINDOW_SECONDS);
        usage.requireRange("--auth-queue", authQueue, 1, PasswordGuessing.MAX_QUEUE);
        usage.requireRange("--close-grace", closeGraceMillis, (int) Timeouts.MIN_CLOSE_GRACE.toMillis(), (int)
                Timeouts.MAX_CLOSE_GRACE.toMillis());
        usage.requireRange("--welcome-timeout", welcomeSeconds, 1, MAX_IDLE_TIMEOUT_SECONDS);
        usage.requireRange("--request-rate", requestRate, 0, SessionLimits.MAX_RATE_LIMIT);
        usage.requireRange("--request-burst", requestBurst, 1, SessionLimits.MAX_RATE_BURST);
        usage.requireRange("--max-rooms", maxRooms, 0, Quotas.MAX);
        usage.requireRange("--max-sessions-per-user", maxSessionsPerUser, 0, Quotas.MAX);
        usage.requireRange("--max-connections-per-address", maxConnectionsPerAddress, 0, Quotas.MAX);
        usage.requireRange("--max-unauthenticated", maxUnauthenticated, 0, Quotas.MAX);
        usage.requireRange("--max-unauthenticated-per-address", maxUnauthenticatedPerAddress, 0, Quotas.MAX);
        Listeners listeners = new Listeners(
                usage.socketAddress("--listen", listen, Listeners.DEFAULT_PORT),
                admin.equalsIgnoreCase("off")
                        ? null
                        : usage.socketAddress("--admin", admin, Listeners.DEFAULT_ADMIN_PORT));
        if (nodeName != null && !Names.isUser(nodeName)) {
            throw usage.error("--node-name '" + nodeName + "': " + Names.USER_RULE);
        }
        return ServerConfig.builder(tls)
                .listeners(listeners)
                .authentication(auth == AuthMode.PASSWORD ? Authentication.password(users) : Authentication.MTLS)
                .limits(new SessionLimits(maxFrame, rateLimit, rateBurst, maxPending))
                .timeouts(new Timeouts(
                        Duration.ofSeconds(idleSeconds),
                        Limits.HANDSHAKE_TIMEOUT,
                        Limits.AUTH_TIMEOUT,
                        Duration.ofMillis(closeGraceMillis),
                        Duration.ofSeconds(welcomeSeconds)))
                .quotas(new Quotas(
                        requestRate,
                        requestBurst,
                        maxRooms,
                        maxSessionsPerUser,
                        maxConnectionsPerAddress,
                        maxUnauthenticated,
                        maxUnauthenticatedPerAddress))
                .nodeName(nodeName)
                .cluster(clusterConfig(usage))
                .guessing(new PasswordGuessing(
                        authGuesses, authGuessesPerAddress, Duration.ofSeconds(authWindowSeconds), authQueue))
                .build();
    }

    /** The cluster settings, or null when none of the cluster flags asks for one. */
    private ClusterConfig clusterConfig(Usage usage) {
        if (clusterListen == null && clusterPeers == null && clusterDns == null) {
            return null;
        }
        if (clusterPeers != null && clusterDns != null) {
            throw usage.error("use --cluster-peers or --cluster-dns, not both");
        }
        InetSocketAddress bind = clusterListen == null
                ? new InetSocketAddress("0.0.0.0", ClusterConfig.DEFAULT_PORT)
                : usage.socketAddress("--cluster-listen", clusterListen, ClusterConfig.DEFAULT_PORT);
        List<InetSocketAddress> peers = clusterPeers == null
                ? List.of()
                : usage.addresses("--cluster-peers", clusterPeers).stream()
                        .map(peer -> usage.resolved("--cluster-peers", peer))
                        .toList();
        InetAddress advertise = null;
        if (clusterAdvertise != null) {
            try {
                advertise = InetAddress.getByName(clusterAdvertise);
            } catch (UnknownHostException e) {
                throw usage.error("--cluster-advertise: cannot resolve '" + clusterAdvertise + "'");
            }
        }
        return new ClusterConfig(bind, advertise, peers, clusterDns, clusterName);
    }

    /** --ca, --cert, --key and --crl, each from its own flag or else from the --pki directory. */
    private TlsFiles tlsFiles(Usage usage) {
        Path caFile = files.ca();
        Path certFile = files.cert();
        Path keyFile = files.key();
        if (noCrl && crl != null) {
            throw usage.error("--crl and --no-crl contradict each other: give one");
        }
        Path crlFile = crl;
        Optional<PkiLayout> layout = pki.layout();
        if (layout.isPresent()) {
            PkiLayout dir = PkiOption.existing(layout.get().dir(), usage);
            String name = node != null ? node : onlyNodeIn(dir, usage);
            if (!Names.isUser(name)) {
                throw usage.error("--node '" + name + "': " + Names.USER_RULE);
            }
            caFile = caFile != null ? caFile : dir.caCert();
            certFile = certFile != null ? certFile : dir.nodeCert(name);
            keyFile = keyFile != null ? keyFile : dir.nodeKey(name);
            crlFile = crlFile != null || noCrl ? crlFile : dir.crl();
        }
        if (caFile == null || certFile == null || keyFile == null) {
            throw usage.error("give --pki DIR [--node NAME], or --ca, --cert and --key");
        }
        if (crlFile == null && !noCrl) {
            throw usage.error(
                    "no CRL: give --crl FILE (e.g. the CA's crl.pem), or --no-crl to run with revocation off");
        }
        for (Path p :
                crlFile == null ? List.of(caFile, certFile, keyFile) : List.of(caFile, certFile, keyFile, crlFile)) {
            if (!Files.isReadable(p)) {
                throw usage.error("cannot read " + p);
            }
        }
        return new TlsFiles(caFile, certFile, keyFile, crlFile, tlsMin);
    }

    private static String onlyNodeIn(PkiLayout pki, Usage usage) {
        List<String> names = pki.nodeNames();
        if (names.size() != 1) {
            throw usage.error(
                    names.isEmpty()
                            ? "no node certificates in " + pki.nodes() + " (create one with 'tlschat pki node')"
                            : "several node certificates in " + pki.nodes() + " " + names + ": choose one with --node");
        }
        return names.get(0);
    }

    /** {@code --auth mtls|password}, in any case. */
    static final class AuthModeConverter implements ITypeConverter<AuthMode> {
        @Override
        public AuthMode convert(String value) {
            try {
                return AuthMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected mtls or password, not '" + value + "'");
            }
        }
    }
}
