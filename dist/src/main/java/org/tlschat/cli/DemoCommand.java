package org.tlschat.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.cli.Usage;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.ServerConfig.Listeners;
import org.tlschat.server.ServerConfig.Quotas;
import org.tlschat.server.ServerConfig.SessionLimits;
import org.tlschat.server.cli.ServerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tlschat demo}: a development PKI in ./demo (made once), a server on 127.0.0.1:7443 in
 * the foreground, and the exact commands to chat from two other terminals.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Try tlschat on one machine: creates a PKI in --dir (CA, node n1, users alice, bob, carol) "
                    + "if it is not there yet, runs a server on --listen in the foreground, and prints the "
                    + "client commands to type in two other terminals. Ctrl-C stops it."
        })
public final class DemoCommand implements Callable<Integer> {
    static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final String NODE = "n1";
    private static final int DAYS = 365;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "demo",
            description = "Where the demo PKI lives (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:7443",
            description = "Client port (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9090",
            description = "Admin HTTP port (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(
            names = "--rate-limit",
            paramLabel = "N",
            defaultValue = "" + SessionLimits.DEFAULT_RATE_LIMIT,
            description = "Messages per second per session; 0 turns off every per-session and per-address "
                    + "limit (rates, rooms, sessions per user, connections per address), e.g. for tlschat bench "
                    + "(default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Override
    public Integer call() throws Exception {
        Usage usage = Usage.of(spec);
        usage.requireRange("--rate-limit", rateLimit, 0, SessionLimits.MAX_RATE_LIMIT);
        Listeners listeners = new Listeners(
                usage.socketAddress("--listen", listen, Listeners.DEFAULT_PORT),
                usage.socketAddress("--admin", admin, Listeners.DEFAULT_ADMIN_PORT));
        PrintWriter out = spec.commandLine().getOut();
        CertificateAuthority ca =
                Files.exists(new PkiLayout(dir).caCert()) ? CertificateAuthority.open(dir) : create(out);
        ServerConfig config = ServerConfig.builder(ca.layout(), NODE)
                .listeners(listeners)
                .limits(SessionLimits.DEFAULT.withRate(rateLimit, SessionLimits.DEFAULT_RATE_BURST))
                .quotas(rateLimit == 0 ? Quotas.OFF : Quotas.DEFAULT)
                .build();
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
        String serverFlag =
                at.getPort() == Listeners.DEFAULT_PORT && at.getAddress().isLoopbackAddress()
                        ? ""
                        : " --server " + at.getHostString() + ":" + at.getPort();
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
}
