package org.tlschat.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.KeyType;
import org.tlschat.protocol.HostPort;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.cli.ServerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlschat demo}: a development PKI in ./demo (made once), a server on 127.0.0.1:7443 in
 * the foreground, and the exact commands to chat from two other terminals.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Try tlschat on one machine: creates a PKI in --dir (CA, node n1, users alice, bob, carol) "
                + "if it is not there yet, runs a server on --listen in the foreground, and prints the "
                + "client commands to type in two other terminals. Ctrl-C stops it."})
public final class DemoCommand implements Callable<Integer> {
    static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final String NODE = "n1";
    private static final int DAYS = 365;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "demo",
            description = "Where the demo PKI lives (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7443",
            description = "Client port (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9090",
            description = "Admin HTTP port (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_RATE_LIMIT,
            description = "Messages per second per session, 0 = off, e.g. for tlschat bench (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Override
    public Integer call() throws Exception {
        if (rateLimit < 0 || rateLimit > ServerConfig.MAX_RATE_LIMIT) {
            throw new ParameterException(spec.commandLine(),
                    "--rate-limit must be between 0 and " + ServerConfig.MAX_RATE_LIMIT + ", not " + rateLimit);
        }
        PrintWriter out = spec.commandLine().getOut();
        CertificateAuthority ca = Files.exists(dir.resolve("ca.pem")) ? CertificateAuthority.open(dir) : create(out);
        ServerConfig config = ServerConfig.of(ca.caCertFile(), ca.nodeCertFile(NODE), ca.nodeKeyFile(NODE), ca.crlFile())
                .withListen(address("--listen", listen))
                .withAdmin(address("--admin", admin));
        config = config.withLimits(config.maxFrame(), rateLimit, config.rateBurst(), config.maxPendingBytes());
        ChatServer server = ChatServer.start(config);
        printInstructions(out, server);
        return ServerCommand.runUntilStopped(server);
    }

    private CertificateAuthority create(PrintWriter out) {
        CertificateAuthority ca = CertificateAuthority.init(dir, "tlschat.local", KeyType.EC, 3650, false);
        ca.issueNode(NODE, List.of(), List.of(), DAYS);
        USERS.forEach(user -> ca.issueUser(user, DAYS));
        out.println("created a demo PKI in " + dir + ": CA, node " + NODE + ", users " + String.join(", ", USERS));
        return ca;
    }

    private void printInstructions(PrintWriter out, ChatServer server) {
        String tlschat = System.getenv().getOrDefault("TLSCHAT_COMMAND", "java -jar dist/target/tlschat.jar");
        InetSocketAddress at = server.address();
        String serverFlag = at.getPort() == ServerConfig.DEFAULT_PORT && at.getAddress().isLoopbackAddress()
                ? "" : " --server " + at.getHostString() + ":" + at.getPort();
        out.println();
        out.println("tlschat demo server is running on " + at.getHostString() + ":" + at.getPort()
                + " (mutual TLS). Ctrl-C stops it.");
        out.println();
        out.println("Chat from two other terminals:");
        out.println("  " + tlschat + " client --pki " + dir + " --user alice" + serverFlag);
        out.println("  " + tlschat + " client --pki " + dir + " --user bob" + serverFlag);
        out.println();
        out.println("then type:  /msg bob hello   or   /join #lobby  and plain text   (/help lists all)");
        out.println("metrics:    curl http://" + server.adminAddress().getHostString() + ":"
                + server.adminAddress().getPort() + "/metrics");
        out.println();
        out.flush();
    }

    private InetSocketAddress address(String flag, String value) {
        try {
            return HostPort.parse(value, ServerConfig.DEFAULT_PORT).resolve();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }
}
