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
 * What every {@code tlschat pki} subcommand shares: the {@code --dir} option (or TLSCHAT_PKI_DIR),
 * the "wrote FILE (...)" output lines, and the one place where a {@link PkiException} (a user
 * mistake) becomes a picocli {@link ParameterException}, i.e. exit code 2.
 */
abstract class PkiSubcommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:TLSCHAT_PKI_DIR}",
            description = "PKI directory (default: $TLSCHAT_PKI_DIR)")
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
            throw new PkiException("missing --dir DIR: name the PKI directory (or set TLSCHAT_PKI_DIR)");
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
