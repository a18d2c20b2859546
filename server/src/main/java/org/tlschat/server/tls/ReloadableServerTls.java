package org.tlschat.server.tls;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.PkiException;
import org.tlschat.pki.SpiffeId;

/**
 * The client listener's SslContext, swapped when the node certificate or key file changes: new
 * connections get the new one, established sessions keep theirs. A new pair that does not load
 * (half-written, a key of another certificate, not a node identity) leaves the old one in force.
 */
public final class ReloadableServerTls implements Supplier<SslContext> {
    private static final Logger log = LoggerFactory.getLogger(ReloadableServerTls.class);

    /** Builds a context from the node certificate and key files. */
    @FunctionalInterface
    public interface Factory {
        SslContext build() throws SSLException;
    }

    private final Path cert;
    private final Path key;
    private final Factory factory;
    private final AtomicReference<SslContext> current = new AtomicReference<>();

    private ReloadableServerTls(Path cert, Path key, Factory factory) {
        this.cert = cert;
        this.key = key;
        this.factory = factory;
    }

    /** The first context; a failure here is a start-up error. */
    public static ReloadableServerTls load(Path cert, Path key, Factory factory) throws SSLException {
        ReloadableServerTls tls = new ReloadableServerTls(cert, key, factory);
        tls.current.set(factory.build());
        return tls;
    }

    @Override
    public SslContext get() {
        return current.get();
    }

    public Path certFile() {
        return cert;
    }

    public Path keyFile() {
        return key;
    }

    /** Loads the files again; true when the new context is in force. */
    boolean reload() {
        try {
            X509Certificate leaf = PemFiles.readCertificate(cert);
            if (SpiffeId.of(leaf).kind() != SpiffeId.Kind.NODE) {
                throw new CertificateException(cert + " is not a node certificate");
            }
            requireMatchingKey(leaf, PemFiles.readPrivateKey(key));
            current.set(factory.build());
            log.info(
                    "node certificate reloaded from {} (serial {}, valid until {}); new connections use it",
                    cert,
                    leaf.getSerialNumber().toString(16),
                    leaf.getNotAfter().toInstant());
            return true;
        } catch (PkiException | GeneralSecurityException | SSLException | IllegalArgumentException e) {
            log.warn(
                    "node certificate {} / key {} changed but do not load ({}); keeping the previous ones",
                    cert,
                    key,
                    e.getMessage());
            return false;
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private void requireMatchingKey(X509Certificate leaf, PrivateKey privateKey) throws GeneralSecurityException {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        String algorithm = KeyType.of(privateKey).signatureAlgorithm();
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(key + " is not the key of " + cert);
        }
    }
}
