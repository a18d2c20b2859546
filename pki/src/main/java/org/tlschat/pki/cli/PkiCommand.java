package org.tlschat.pki.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tlschat pki}: the certificate authority commands. */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = {
            "Run a small certificate authority for tlschat: a CA, node (server) and user (client)",
            "certificates with SPIFFE identities, revocation and the CRL. Every command takes",
            "--dir DIR, or the directory in $TLSCHAT_PKI."
        },
        subcommands = {
            InitCommand.class,
            NodeCommand.class,
            UserCommand.class,
            RevokeCommand.class,
            CrlCommand.class,
            ListCommand.class
        },
        footer = {
            "%nExample, a PKI for a local demo:",
            "  tlschat pki init --dir demo",
            "  tlschat pki node --dir demo --name n1",
            "  tlschat pki user --dir demo --name alice",
            "  tlschat pki revoke --dir demo --name alice",
            "  tlschat pki list --dir demo"
        })
public final class PkiCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Usage.of(spec).error("missing subcommand: init, node, user, revoke, crl or list");
    }
}
