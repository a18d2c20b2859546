package org.tlschat.pki.cli;

import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.IndexEntry;
import picocli.CommandLine.Command;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List every certificate the CA issued, oldest first.",
        footer = {"%nExample:", "  tlschat pki list --dir demo"})
final class ListCommand extends PkiSubcommand {
    private static final String ROW = "%-5s %-32s %-32s %-10s %s%n";

    @Override
    protected void run() {
        CertificateAuthority ca = CertificateAuthority.open(dir());
        out().printf(ROW, "KIND", "NAME", "SERIAL", "EXPIRES", "REVOKED");
        for (IndexEntry entry : ca.entries()) {
            out().printf(
                            ROW,
                            entry.kind().label(),
                            entry.name(),
                            entry.serial(),
                            date(entry.notAfter()),
                            entry.revoked() ? date(entry.revokedAt()) : "-");
        }
    }
}
