package org.tlschat.pki.cli;

import java.time.Instant;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.IndexEntry;
import picocli.CommandLine.Command;

@Command(
        name = "crl",
        mixinStandardHelpOptions = true,
        description = {
            "Re-sign crl.pem with a new CRL number and a next update "
                    + "30 days from now (run it from cron well before then)."
        },
        footer = {"%nExample:", "  tlschat pki crl --dir demo"})
final class CrlCommand extends PkiSubcommand {
    @Override
    protected void run() {
        CertificateAuthority ca = CertificateAuthority.open(dir());
        ca.refreshCrl();
        wrote(
                ca.layout().crl(),
                "CRL, " + ca.entries().stream().filter(IndexEntry::revoked).count() + " revoked, next update "
                        + date(Instant.now().plus(CertificateAuthority.CRL_VALIDITY)));
    }
}
