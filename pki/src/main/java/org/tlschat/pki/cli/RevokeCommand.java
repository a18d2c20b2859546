package org.tlschat.pki.cli;

import java.math.BigInteger;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.IndexEntry;
import org.tlschat.pki.PkiException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = {
            "Revoke a certificate and re-sign crl.pem.",
            "Servers started with this crl.pem reload it when it changes and refuse new handshakes",
            "with the revoked certificate."
        },
        footer = {
            "%nExamples:",
            "  tlschat pki revoke --dir demo --name alice",
            "  tlschat pki revoke --dir demo --serial 3f2a...   (hex, as 'tlschat pki list' shows it)"
        })
final class RevokeCommand extends PkiSubcommand {
    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "the latest certificate issued to NAME (user or node)")
        String name;

        @Option(names = "--serial", paramLabel = "HEX", description = "the certificate with this serial number")
        String serial;
    }

    @Override
    protected void run() {
        CertificateAuthority ca = CertificateAuthority.open(dir());
        IndexEntry revoked = target.name != null ? ca.revoke(target.name) : ca.revokeSerial(parseSerial(target.serial));
        out().println("revoked " + revoked.kind().label() + " " + revoked.name() + " (serial " + revoked.serial()
                + ")");
        wrote(
                ca.layout().crl(),
                "CRL, " + ca.entries().stream().filter(IndexEntry::revoked).count() + " revoked");
    }

    private static BigInteger parseSerial(String text) {
        String hex = text.replace(":", "").replaceFirst("^0[xX]", "");
        try {
            return new BigInteger(hex, 16);
        } catch (NumberFormatException e) {
            throw new PkiException(
                    "invalid serial '" + text + "': expected hexadecimal, as 'tlschat pki list' shows it");
        }
    }
}
