package org.tlschat.pki.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tlschat.pki.PkiLayout;
import picocli.CommandLine.Option;

/**
 * {@code --pki DIR} (or TLSCHAT_PKI): the PKI directory that {@code tlschat pki} made, as the server,
 * client, bench and audit commands take it. A picocli mixin.
 */
public final class PkiOption {
    @Option(
            names = "--pki",
            paramLabel = "DIR",
            defaultValue = "${env:TLSCHAT_PKI}",
            description = "PKI directory made by 'tlschat pki' (env TLSCHAT_PKI).")
    private Path dir;

    /** The directory's layout, when --pki was given. */
    public Optional<PkiLayout> layout() {
        return Optional.ofNullable(dir).map(PkiLayout::new);
    }

    /** The layout of an existing --pki directory; a usage error when it is missing. */
    public PkiLayout require(Usage usage) {
        if (dir == null) {
            throw usage.error("missing --pki DIR (the directory 'tlschat pki init' made; or set TLSCHAT_PKI)");
        }
        return existing(dir, usage);
    }

    /** The layout of {@code dir}; a usage error when it is not a directory. */
    public static PkiLayout existing(Path dir, Usage usage) {
        if (!Files.isDirectory(dir)) {
            throw usage.error(
                    "PKI directory " + dir + " does not exist (create it with 'tlschat pki init --dir " + dir + "')");
        }
        return new PkiLayout(dir);
    }
}
