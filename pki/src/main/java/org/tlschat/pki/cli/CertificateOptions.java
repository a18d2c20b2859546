package org.tlschat.pki.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --ca --cert --key}: TLS files named one by one, for a side that does not take them from a
 * {@code --pki} directory (or takes only some of them from it). A picocli mixin; each is null when
 * not given.
 */
public final class CertificateOptions {
    @Option(
            names = "--ca",
            paramLabel = "FILE",
            description = "CA certificate (PEM) the other side's certificate must chain to (default: DIR/ca.pem).")
    private Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "This side's certificate (PEM).")
    private Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "Its private key (PKCS#8 PEM).")
    private Path key;

    public Path ca() {
        return ca;
    }

    public Path cert() {
        return cert;
    }

    public Path key() {
        return key;
    }

    /** True when --cert or --key was given. */
    public boolean namesCertificate() {
        return cert != null || key != null;
    }
}
