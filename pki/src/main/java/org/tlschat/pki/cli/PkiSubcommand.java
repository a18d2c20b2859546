package org.tlschat.pki.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.tlschat.pki.PkiException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code tlschat pki} subcommand shares: the {@code --dir} option (or TLSCHAT_PKI, the
 * variable every command reads; TLSCHAT_PKI_DIR still works with a deprecation line),
 * the "wrote FILE (...)" output lines, and the one place where a {@link PkiException} (a user
 * mistake) becomes a picocli {@link ParameterException}, i.e. exit code 2.
 */
abstract class PkiSubcommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    /** The old name of TLSCHAT_PKI, set by compose files of tlschat 0.1. */
    private static final String DEPRECATED_VARIABLE = "TLSCHAT_PKI_DIR";

    @Option(
            names = {"--dir", "--pki"},
            paramLabel = "DIR",
            defaultValue = "${env:TLSCHAT_PKI}",
            description = "PKI directory (default: $TLSCHAT_PKI)")
    private Path dir;

    @Override
    public final Integer call() {
        try {
            run();
            return 0;
        } catch (PkiException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The command's work; throws {@link PkiException} for anything the user must fix. */
    protected abstract void run();

    protected Path dir() {
        if (dir == null) {
            String deprecated = System.getenv(DEPRECATED_VARIABLE);
            if (deprecated == null) {
                throw new PkiException("missing --dir DIR: name the PKI directory (or set TLSCHAT_PKI)");
            }
            spec.commandLine().getErr().println("warning: " + DEPRECATED_VARIABLE + " is deprecated, set TLSCHAT_PKI");
            dir = Path.of(deprecated);
        }
        return dir;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected void wrote(Path file, String description) {
        out().println("wrote " + file + " (" + description + ")");
    }

    protected static String date(Instant instant) {
        return DATE.format(instant);
    }
}
