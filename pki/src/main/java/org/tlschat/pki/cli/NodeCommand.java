package org.tlschat.pki.cli;

import java.util.ArrayList;
import java.util.List;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.IssuedCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = {
            "Issue a server node certificate: nodes/NAME.pem and nodes/NAME.key (0600).",
            "Identity spiffe://<trust-domain>/node/NAME, EKU serverAuth + clientAuth,",
            "SANs: the given DNS names and IPs plus localhost and 127.0.0.1."
        },
        footer = {
            "%nExamples:",
            "  tlschat pki node --dir demo --name n1",
            "  tlschat pki node --dir demo --name n2 --dns chat.example.com,n2.internal --ip 10.0.0.12"
        })
final class NodeCommand extends PkiSubcommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "node name, e.g. n1")
    String name;

    @Option(names = "--dns", split = ",", paramLabel = "NAME", description = "DNS SAN (repeatable, comma-separated)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", split = ",", paramLabel = "ADDR", description = "IP SAN (repeatable, comma-separated)")
    List<String> ips = new ArrayList<>();

    @Option(names = "--days", defaultValue = "365", description = "validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "re-issue over an existing certificate of this name")
    boolean force;

    @Override
    protected void run() {
        CertificateAuthority ca = CertificateAuthority.open(dir());
        IssuedCertificate issued = ca.issueNode(name, dns, ips, days, force);
        wrote(ca.layout().nodeCert(name), "node " + name + ", expires " + date(issued.notAfter()));
        wrote(ca.layout().nodeKey(name), "private key, mode 0600");
    }
}
