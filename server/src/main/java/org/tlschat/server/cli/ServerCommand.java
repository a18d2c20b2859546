package org.tlschat.server.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tlschat.pki.TlsVersion;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Names;
import org.tlschat.server.cluster.ClusterConfig;
import org.tlschat.server.AuthMode;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tlschat server}: runs one node in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a tlschat server node in the foreground; SIGTERM or Ctrl-C stops it "
                + "gracefully (every client gets BYE).",
                "",
                "Every flag can also be set by the environment variable TLSCHAT_<FLAG> "
                + "(e.g. TLSCHAT_LISTEN, TLSCHAT_RATE_LIMIT) or by a line 'flag = value' in the "
                + "--config file. A flag on the command line wins over the environment, which wins "
                + "over the file."},
        footer = {"", "Examples:",
                "  tlschat server --pki demo --node n1",
                "  tlschat server --ca ca.pem --cert n1.pem --key n1.key --crl crl.pem --listen 0.0.0.0:7443",
                "  tlschat server --pki demo --node n1 --auth password --users users.json",
                "  three nodes on one machine (see docs/cluster.md):",
                "  tlschat server --pki demo --node n1 --listen 127.0.0.1:7443 --admin 127.0.0.1:9090 \\",
                "      --cluster-listen 127.0.0.1:7800 --cluster-peers 127.0.0.1:7800,127.0.0.1:7801,127.0.0.1:7802"})
public final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of 'flag = value' lines.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:7443",
            description = "Client TLS port (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off", defaultValue = "127.0.0.1:9090",
            description = "Admin HTTP for /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--pki", paramLabel = "DIR",
            description = "PKI directory (from 'tlschat pki'): uses ca.pem, crl.pem, nodes/NAME.pem and .key.")
    Path pki;

    @Option(names = "--node", paramLabel = "NAME",
            description = "Node certificate name in the --pki directory (default: the only one there).")
    String node;

    @Option(names = "--ca", paramLabel = "FILE", description = "CA certificate (PEM) that client certificates chain to.")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "This node's certificate (PEM).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "This node's private key (PKCS#8 PEM).")
    Path key;

    @Option(names = "--crl", paramLabel = "FILE", description = "Certificate revocation list (PEM).")
    Path crl;

    @Option(names = "--auth", paramLabel = "mtls|password", defaultValue = "mtls",
            description = "mtls: identity from the client certificate; password: AUTH with --users "
                    + "(default: ${DEFAULT-VALUE}).")
    String auth;

    @Option(names = "--users", paramLabel = "FILE", description = "Password file for --auth password "
            + "(made with 'tlschat users add').")
    Path users;

    @Option(names = "--tls-min", paramLabel = "1.3|1.2", defaultValue = "1.3",
            description = "Oldest TLS version accepted (default: ${DEFAULT-VALUE}).")
    String tlsMin;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "" + Limits.MAX_FRAME_BYTES,
            description = "Longest accepted line (default: ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_RATE_LIMIT,
            description = "Messages per second per session, 0 = off (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--rate-burst", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_RATE_BURST,
            description = "Messages a session may send at once (default: ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(names = "--max-pending", paramLabel = "BYTES", defaultValue = "" + ServerConfig.DEFAULT_MAX_PENDING_BYTES,
            description = "Unsent bytes per session before it is cut off as a slow consumer "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "Close connections silent for this long (default: ${DEFAULT-VALUE}).")
    int idleSeconds;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name in ids, logs and the cluster; unique per replica "
                    + "(default: the name in the node certificate).")
    String nodeName;

    @Option(names = "--cluster-listen", paramLabel = "HOST:PORT",
            description = "Cluster port, mutual TLS with node certificates (default: none; "
                    + "0.0.0.0:7800 when --cluster-peers or --cluster-dns is given).")
    String clusterListen;

    @Option(names = "--cluster-peers", paramLabel = "HOST:PORT,...",
            description = "Static discovery: the cluster ports of the other nodes (this one may be listed too).")
    String clusterPeers;

    @Option(names = "--cluster-dns", paramLabel = "NAME",
            description = "DNS discovery: a name whose A records are all replicas (Compose service, "
                    + "Kubernetes headless service); every replica uses the same cluster port.")
    String clusterDns;

    @Option(names = "--cluster-advertise", paramLabel = "HOST",
            description = "Address other nodes should dial to reach this one (containers, NAT).")
    String clusterAdvertise;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterConfig.DEFAULT_NAME,
            description = "Only nodes with the same cluster name form a cluster (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Override
    public Integer call() throws Exception {
        if (config != null && !Files.isReadable(config)) {
            throw usage("cannot read config file " + config);
        }
        return runUntilStopped(ChatServer.start(toConfig()));
    }

    /**
     * Blocks until SIGTERM or Ctrl-C, then shuts the server down gracefully and exits 0 (a stop
     * asked for is a success, not the JVM's 128+signal status); or until the server stops by
     * itself, e.g. because its own certificate was revoked: then returns 1.
     */
    public static int runUntilStopped(ChatServer server) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            // the JVM is already exiting with 143 (SIGTERM) or 130 (Ctrl-C); the main thread's
            // System.exit(0) would block forever, so the status is set here, after the clean stop
            Runtime.getRuntime().halt(0);
        }, "tlschat-shutdown"));
        server.awaitStopped();
        return 1;
    }

    ServerConfig toConfig() {
        TlsFiles files = tlsFiles();
        AuthMode mode = switch (auth.toLowerCase(Locale.ROOT)) {
            case "mtls" -> AuthMode.MTLS;
            case "password" -> AuthMode.PASSWORD;
            default -> throw usage("--auth must be mtls or password, not '" + auth + "'");
        };
        if (mode == AuthMode.PASSWORD && users == null) {
            throw usage("--auth password needs --users FILE (create it with 'tlschat users add')");
        }
        if (mode == AuthMode.PASSWORD && !Files.isReadable(users)) {
            throw usage("cannot read users file " + users);
        }
        TlsVersion version = switch (tlsMin) {
            case "1.3" -> TlsVersion.TLS13;
            case "1.2" -> TlsVersion.TLS12;
            default -> throw usage("--tls-min must be 1.3 or 1.2, not '" + tlsMin + "'");
        };
        requireRange("--max-frame", maxFrame, 256, 16 * 1024 * 1024);
        requireRange("--rate-limit", rateLimit, 0, ServerConfig.MAX_RATE_LIMIT);
        requireRange("--rate-burst", rateBurst, 1, 1_000_000);
        requireRange("--max-pending", maxPending, 64 * 1024, Integer.MAX_VALUE);
        requireRange("--idle-timeout", idleSeconds, 1, 86_400);
        ServerConfig config = ServerConfig.of(files.ca, files.cert, files.key, files.crl)
                .withListen(address("--listen", listen))
                .withAdmin(admin.equalsIgnoreCase("off") ? null : address("--admin", admin))
                .withTlsVersion(version)
                .withLimits(maxFrame, rateLimit, rateBurst, maxPending)
                .withTimeouts(Duration.ofSeconds(idleSeconds), Limits.HANDSHAKE_TIMEOUT, Limits.AUTH_TIMEOUT);
        if (nodeName != null && !Names.isUser(nodeName)) {
            throw usage("--node-name '" + nodeName + "': use 1-32 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        config = config.withNodeName(nodeName).withCluster(clusterConfig());
        return mode == AuthMode.PASSWORD ? config.withPasswordAuth(users) : config;
    }

    /** The cluster settings, or null when none of the cluster flags asks for one. */
    private ClusterConfig clusterConfig() {
        if (clusterListen == null && clusterPeers == null && clusterDns == null) {
            return null;
        }
        if (clusterPeers != null && clusterDns != null) {
            throw usage("use --cluster-peers or --cluster-dns, not both");
        }
        InetSocketAddress bind = clusterListen == null
                ? new InetSocketAddress("0.0.0.0", ClusterConfig.DEFAULT_PORT)
                : address("--cluster-listen", clusterListen, ClusterConfig.DEFAULT_PORT);
        List<InetSocketAddress> peers = new ArrayList<>();
        if (clusterPeers != null) {
            try {
                HostPort.parseList(clusterPeers).forEach(p -> peers.add(resolve("--cluster-peers", p)));
            } catch (IllegalArgumentException e) {
                throw usage("--cluster-peers: " + e.getMessage());
            }
        }
        InetAddress advertise = null;
        if (clusterAdvertise != null) {
            try {
                advertise = InetAddress.getByName(clusterAdvertise);
            } catch (UnknownHostException e) {
                throw usage("--cluster-advertise: cannot resolve '" + clusterAdvertise + "'");
            }
        }
        return new ClusterConfig(bind, advertise, peers, clusterDns, clusterName);
    }

    private InetSocketAddress resolve(String flag, HostPort address) {
        InetSocketAddress resolved = address.resolve();
        if (resolved.isUnresolved()) {
            throw usage(flag + ": cannot resolve '" + address.host() + "'");
        }
        return resolved;
    }

    private record TlsFiles(Path ca, Path cert, Path key, Path crl) {
    }

    private TlsFiles tlsFiles() {
        Path caFile = ca;
        Path certFile = cert;
        Path keyFile = key;
        Path crlFile = crl;
        if (pki != null) {
            if (!Files.isDirectory(pki)) {
                throw usage("PKI directory " + pki + " does not exist (create it with 'tlschat pki init --dir " + pki + "')");
            }
            String name = node != null ? node : onlyNodeIn(pki.resolve("nodes"));
            caFile = caFile != null ? caFile : pki.resolve("ca.pem");
            certFile = certFile != null ? certFile : pki.resolve("nodes").resolve(name + ".pem");
            keyFile = keyFile != null ? keyFile : pki.resolve("nodes").resolve(name + ".key");
            crlFile = crlFile != null ? crlFile : pki.resolve("crl.pem");
        }
        if (caFile == null || certFile == null || keyFile == null) {
            throw usage("give --pki DIR [--node NAME], or --ca, --cert and --key");
        }
        for (Path p : crlFile == null ? List.of(caFile, certFile, keyFile) : List.of(caFile, certFile, keyFile, crlFile)) {
            if (!Files.isReadable(p)) {
                throw usage("cannot read " + p);
            }
        }
        return new TlsFiles(caFile, certFile, keyFile, crlFile);
    }

    private String onlyNodeIn(Path nodes) {
        List<String> names;
        try (Stream<Path> files = Files.list(nodes)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pem"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (java.io.IOException e) {
            throw usage("no node certificates in " + nodes + " (create one with 'tlschat pki node')");
        }
        if (names.size() != 1) {
            throw usage(names.isEmpty()
                    ? "no node certificates in " + nodes + " (create one with 'tlschat pki node')"
                    : "several node certificates in " + nodes + " " + names + ": choose one with --node");
        }
        return names.get(0);
    }

    private InetSocketAddress address(String flag, String value) {
        return address(flag, value, ServerConfig.DEFAULT_PORT);
    }

    private InetSocketAddress address(String flag, String value, int defaultPort) {
        try {
            return resolve(flag, HostPort.parse(value, defaultPort));
        } catch (IllegalArgumentException e) {
            throw usage(flag + ": " + e.getMessage());
        }
    }

    private void requireRange(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(flag + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
