package org.tlschat.pki.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.IssuedCertificate;
import org.tlschat.pki.PkiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = {
            "Issue a user certificate: users/NAME.pem and users/NAME.key (0600).",
            "Identity spiffe://<trust-domain>/user/NAME, EKU clientAuth only.",
            "With --p12 also users/NAME.p12 (key + certificate + CA, AES-256, for browsers and keystores)."
        },
        footer = {
            "%nExamples:",
            "  tlschat pki user --dir demo --name alice",
            "  tlschat pki user --dir demo --name bob --p12 --p12-password-file bob.pass"
        })
final class UserCommand extends PkiSubcommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "user name, e.g. alice")
    String name;

    @Option(names = "--days", defaultValue = "365", description = "validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "re-issue over an existing certificate of this name")
    boolean force;

    @Option(names = "--p12", description = "also write users/NAME.p12")
    boolean p12;

    @Option(
            names = "--p12-password-file",
            paramLabel = "FILE",
            description = "read the PKCS#12 password from the first line of FILE (default: prompt)")
    Path passwordFile;

    @Override
    protected void run() {
        CertificateAuthority ca = CertificateAuthority.open(dir());
        char[] password = p12 ? password() : null;
        IssuedCertificate issued = ca.issueUser(name, days, force);
        wrote(ca.layout().userCert(name), "user " + name + ", expires " + date(issued.notAfter()));
        wrote(ca.layout().userKey(name), "private key, mode 0600");
        if (p12) {
            wrote(ca.exportPkcs12(name, password), "PKCS#12 bundle, mode 0600");
            Arrays.fill(password, '\0');
        }
    }

    private char[] password() {
        char[] password = passwordFile != null ? readPasswordFile() : promptTwice();
        if (password.length == 0) {
            throw new PkiException("empty PKCS#12 password: choose a non-empty one");
        }
        return password;
    }

    private char[] readPasswordFile() {
        try {
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            return text.lines().findFirst().orElse("").toCharArray();
        } catch (IOException e) {
            throw new PkiException(passwordFile + ": cannot read the password file: " + e.getMessage(), e);
        }
    }

    private static char[] promptTwice() {
        Console console = System.console();
        if (console == null) {
            throw new PkiException("--p12 needs a password: no terminal to prompt on (use --p12-password-file FILE)");
        }
        char[] first = console.readPassword("PKCS#12 password: ");
        char[] second = console.readPassword("again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new PkiException("PKCS#12 passwords do not match: try again");
        }
        Arrays.fill(second, '\0');
        return first;
    }
}
