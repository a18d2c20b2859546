package org.tlschat.pki.cli;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.IndexEntry;
import org.tlschat.pki.PkiException;
import org.tlschat.pki.SpiffeId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = {
            "Revoke certificates and re-sign crl.pem: --name revokes every unrevoked certificate",
            "of that name (re-issue with --force afterwards), --serial exactly one.",
            "Servers started with this crl.pem reload it when it changes and refuse new handshakes",
            "with the revoked certificate."
        },
        footer = {
            "%nExamples:",
            "  tlschat pki revoke --dir demo --name alice",
            "  tlschat pki revoke --dir demo --name n1 --kind node   (when n1 is also a user)",
            "  tlschat pki revoke --dir demo --serial 3f2a...   (hex, as 'tlschat pki list' shows it)"
        })
final class RevokeCommand extends PkiSubcommand {
    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "every unrevoked certificate issued to NAME (user or node)")
        String name;

        @Option(names = "--serial", paramLabel = "HEX", description = "the certificate with this serial number")
        String serial;
    }

    @Option(
            names = "--kind",
            paramLabel = "user|node",
            description = "with --name, when the name is both a user and a node")
    String kind;

    @Override
    protected void run() {
        if (kind != null && target.name == null) {
            throw new PkiException("--kind goes with --name");
        }
        CertificateAuthority ca = CertificateAuthority.open(dir());
        List<IndexEntry> revoked = target.name != null
                ? ca.revoke(target.name, kind == null ? null : parseKind(kind))
                : List.of(ca.revokeSerial(parseSerial(target.serial)));
        for (IndexEntry entry : revoked) {
            out().println("revoked " + entry.kind().label() + " " + entry.name() + " (serial " + entry.serial() + ")");
        }
        if (target.name != null) {
            out().println(revoked.size() + " certificate" + (revoked.size() == 1 ? "" : "s") + " of '" + target.name
                    + "' revoked");
        }
        wrote(
                ca.layout().crl(),
                "CRL, " + ca.entries().stream().filter(IndexEntry::revoked).count() + " revoked");
    }

    private static SpiffeId.Kind parseKind(String text) {
        for (SpiffeId.Kind k : SpiffeId.Kind.values()) {
            if (k.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new PkiException("invalid --kind '" + text + "': expected user or node");
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
