package org.tlschat.cli;

import io.netty.util.ResourceLeakDetector;
import org.tlschat.client.audit.AuditCommand;
import org.tlschat.client.bench.BenchCommand;
import org.tlschat.client.cli.Cli;
import org.tlschat.client.cli.ClientCommand;
import org.tlschat.pki.cli.PkiCommand;
import org.tlschat.pki.cli.Usage;
import org.tlschat.server.cli.ServerCommand;
import org.tlschat.server.cli.SettingsDefaults;
import org.tlschat.server.cli.UsersCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tlschat}: one jar, every subcommand. */
@Command(
        name = "tlschat",
        mixinStandardHelpOptions = true,
        versionProvider = Main.JarVersion.class,
        description = {
            "A chat server and client that speak only TLS (server-authenticated or mutual),",
            "with their own certificate authority tooling.",
            "Exit codes: 0 success, 1 runtime failure, 2 usage error."
        },
        subcommands = {
            AuditCommand.class,
            DemoCommand.class,
            ClientCommand.class,
            BenchCommand.class,
            PkiCommand.class,
            ServerCommand.class,
            UsersCommand.class
        },
        footer = {
            "%nStart with:",
            "  tlschat demo            a server and a PKI on this machine, in one command",
            "  tlschat <command> --help"
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    /** Netty's system property: set it (e.g. to {@code paranoid}) to hunt a buffer leak. */
    private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        if (System.getProperty(LEAK_DETECTION) == null) {
            // Netty's default samples 1 buffer in 128, and tracks every duplicate of a sampled one
            // with a stack trace: one MSG fanned out to 100 sessions then costs 200 stack traces.
            // Measured: +10 % deliveries/s in a 1 -> 100 fan-out without it (docs/performance.md).
            // The tests keep Netty's default and so keep catching leaks.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        CommandLine cli = Cli.configure(new CommandLine(new Main()));
        SettingsDefaults.install(cli.getSubcommands().get("server"), args);
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        throw Usage.of(spec).error("missing subcommand");
    }

    /** The Implementation-Version of the jar manifest ("dev" when run from classes). */
    static final class JarVersion implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tlschat " + (version != null ? version : "dev")};
        }
    }
}
