package org.tlschat.client.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.client.audit.Attack.Verdict;
import org.tlschat.client.cli.Cli;
import org.tlschat.client.cli.SafeText;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.cli.PkiOption;
import org.tlschat.pki.cli.Usage;
import org.tlschat.protocol.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tlschat audit}: runs the attacks of docs/security.md against a live server and prints a table. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Tries every attack of docs/security.md that can be run from outside against a live",
            "server, with certificates forged by the CA in --pki (in a temporary directory deleted",
            "afterwards), and prints attack, expected, observed, PASS/FAIL/SKIP.",
            "It revokes two throwaway users (audit-*) in --pki: the server must watch that crl.pem.",
            "Exit codes: 0 nothing failed, 1 an attack succeeded (FAIL), 2 usage error."
        },
        footer = {
            "%nExample:",
            "  tlschat audit --server chat.example.com:7443 --pki ./pki --cluster chat.example.com:7800",
            "  tlschat audit --server 127.0.0.1:7443 --pki ./pki --admin 127.0.0.1:9090   (on the server's host)"
        })
public final class AuditCommand implements Callable<Integer> {
    private static final int ADMIN_PORT = 9090;

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", description = "the client port to audit")
    String server;

    @Mixin
    PkiOption pki;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "also audit this cluster port")
    String cluster;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            description = "the server's admin HTTP port: also measure its memory under a non-reading flood")
    String admin;

    @Option(names = "--password-user", paramLabel = "U", description = "password mode: a real user ...")
    String passwordUser;

    @Option(names = "--password-file", paramLabel = "F", description = "... and a file holding its password")
    Path passwordFile;

    @Override
    public Integer call() throws IOException {
        Usage usage = Usage.of(spec);
        HostPort serverAddress = usage.address("--server", server, HostPort.DEFAULT_PORT);
        HostPort clusterAddress = cluster == null ? null : usage.address("--cluster", cluster, HostPort.DEFAULT_PORT);
        HostPort adminAddress = admin == null ? null : usage.address("--admin", admin, ADMIN_PORT);
        PkiLayout layout = pki.require(usage);
        if (!Files.isReadable(layout.caCert()) || !Files.isReadable(layout.caKey())) {
            throw usage.error("--pki " + layout.dir()
                    + " must hold a readable ca.pem and ca.key (the audit forges certificates)");
        }
        AuditTarget.Password password = password(usage);
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = new ArrayList<>();
        try (AuditTarget target =
                new AuditTarget(serverAddress, clusterAddress, adminAddress, layout.dir(), password)) {
            for (Attack attack : Attacks.all()) {
                rows.add(new Row(attack, attack.run(target)));
            }
        }
        print(out, rows);
        return rows.stream().anyMatch(r -> r.result().verdict() == Verdict.FAIL) ? Cli.RUNTIME_ERROR : 0;
    }

    private record Row(Attack attack, Result result) {}

    private static void print(PrintWriter out, List<Row> rows) {
        int attack = Math.max(
                "ATTACK".length(),
                rows.stream().mapToInt(r -> r.attack().name().length()).max().orElse(0));
        int expected = Math.max(
                "EXPECTED".length(),
                rows.stream()
                        .mapToInt(r -> r.attack().expected().length())
                        .max()
                        .orElse(0));
        String format = "%-" + attack + "s  %-" + expected + "s  %-4s  %s%n";
        out.printf(Locale.ROOT, format, "ATTACK", "EXPECTED", "", "OBSERVED");
        for (Row row : rows) {
            out.printf(
                    Locale.ROOT,
                    format,
                    row.attack().name(),
                    row.attack().expected(),
                    row.result().verdict(),
                    SafeText.line(row.result().observed())); // may quote the server
        }
        long failed =
                rows.stream().filter(r -> r.result().verdict() == Verdict.FAIL).count();
        long skipped =
                rows.stream().filter(r -> r.result().verdict() == Verdict.SKIP).count();
        out.printf(
                Locale.ROOT,
                "%d attacks: %d passed, %d failed, %d skipped%n",
                rows.size(),
                rows.size() - failed - skipped,
                failed,
                skipped);
        out.flush();
    }

    private AuditTarget.Password password(Usage usage) throws IOException {
        if ((passwordUser == null) != (passwordFile == null)) {
            throw usage.error("--password-user and --password-file go together");
        }
        if (passwordUser == null) {
            return null;
        }
        if (!Files.isReadable(passwordFile)) {
            throw usage.error("cannot read --password-file " + passwordFile);
        }
        return new AuditTarget.Password(
                passwordUser, Files.readString(passwordFile).strip());
    }
}
