package org.tlschat.pki.cli;

import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.KeyType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Create a certificate authority: ca.pem, ca.key (0600), an empty crl.pem and index.json.",
        footer = {
            "%nExamples:",
            "  tlschat pki init --dir demo",
            "  tlschat pki init --dir prod --trust-domain chat.example.com --key rsa --days 1825"
        })
final class InitCommand extends PkiSubcommand {
    @Option(
            names = "--trust-domain",
            defaultValue = "tlschat.local",
            paramLabel = "DOMAIN",
            description = "SPIFFE trust domain of every identity (default: ${DEFAULT-VALUE})")
    String trustDomain;

    @Option(
            names = "--key",
            defaultValue = "ec",
            converter = KeyTypeConverter.class,
            paramLabel = "ec|rsa",
            description = "ec: ECDSA P-256, rsa: RSA 3072 (default: ${DEFAULT-VALUE})")
    KeyType keyType;

    @Option(names = "--days", defaultValue = "3650", description = "CA validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "replace an existing CA (certificates it issued stop verifying)")
    boolean force;

    @Override
    protected void run() {
        CertificateAuthority ca = CertificateAuthority.init(dir(), trustDomain, keyType, days, force);
        wrote(
                ca.layout().caCert(),
                "CA for " + ca.trustDomain() + ", expires "
                        + date(ca.caCertificate().getNotAfter().toInstant()));
        wrote(ca.layout().caKey(), "CA private key, mode 0600");
        wrote(ca.layout().crl(), "empty CRL, next update in " + CertificateAuthority.CRL_VALIDITY.toDays() + " days");
    }
}
