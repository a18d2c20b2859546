package org.tlschat.server.tls;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.PkiException;
import org.tlschat.pki.TrustMaterial;

/**
 * Applies credential changes without a restart, by polling file stamps every second on its own
 * daemon thread:
 * <ul>
 *   <li>crl.pem changed: reload it (a bad file keeps the previous CRL); if this node's own
 *       certificate is now revoked, {@code onSelfRevoked} runs once;</li>
 *   <li>every tick: sessions whose certificate the CRL lists are ended ({@link RevokedSessions}),
 *       so a session opened while the CRL was being swapped is caught on the next tick;</li>
 *   <li>node certificate or key changed: {@link ReloadableServerTls#reload()} for new connections.</li>
 * </ul>
 */
public final class CredentialWatcher implements AutoCloseable {
    /** Poll period: revocation takes effect within about this long (the contract says 5 s). */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(CredentialWatcher.class);

    private final TrustMaterial trust;
    private final ReloadableServerTls tls;
    private final RevokedSessions revokedSessions;
    private final Runnable onSelfRevoked;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("tlschat-credential-watcher", true));
    private FileStamp crlStamp;
    private FileStamp certStamp;
    private FileStamp keyStamp;
    private boolean selfRevoked;

    private CredentialWatcher(
            TrustMaterial trust, ReloadableServerTls tls, RevokedSessions revokedSessions, Runnable onSelfRevoked) {
        this.trust = trust;
        this.tls = tls;
        this.revokedSessions = revokedSessions;
        this.onSelfRevoked = onSelfRevoked;
        this.crlStamp = trust.crlFile() == null ? null : FileStamp.of(trust.crlFile());
        this.certStamp = FileStamp.of(tls.certFile());
        this.keyStamp = FileStamp.of(tls.keyFile());
    }

    /** Starts polling; the files as they are now are the baseline. */
    public static CredentialWatcher start(
            TrustMaterial trust, ReloadableServerTls tls, RevokedSessions revokedSessions, Runnable onSelfRevoked) {
        CredentialWatcher watcher = new CredentialWatcher(trust, tls, revokedSessions, onSelfRevoked);
        watcher.timer.scheduleWithFixedDelay(
                watcher::poll, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** True when this node's certificate is on the current CRL (checked at start-up too). */
    public static boolean isRevoked(TrustMaterial trust, Path nodeCert) {
        X509Certificate own = PemFiles.readCertificate(nodeCert);
        return trust.isRevoked(own);
    }

    private void poll() {
        try {
            if (trust.crlFile() != null) {
                pollCrl();
                revokedSessions.close();
            }
            FileStamp cert = FileStamp.of(tls.certFile());
            FileStamp key = FileStamp.of(tls.keyFile());
            if (!Objects.equals(cert, certStamp) || !Objects.equals(key, keyStamp)) {
                certStamp = cert;
                keyStamp = key;
                tls.reload();
            }
        } catch (RuntimeException e) {
            // never let one bad tick stop the watcher: scheduleWithFixedDelay cancels on an exception
            log.warn("credential check failed: {}", e.toString());
        }
    }

    private void pollCrl() {
        FileStamp now = FileStamp.of(trust.crlFile());
        if (now == null || now.equals(crlStamp)) {
            return;
        }
        crlStamp = now;
        try {
            trust.reloadCrl();
            log.info("CRL reloaded from {}", trust.crlFile());
        } catch (PkiException e) {
            log.warn("{}", e.getMessage());
            return;
        }
        if (!selfRevoked && isRevoked(trust, tls.certFile())) {
            selfRevoked = true;
            log.error(
                    "this node's certificate {} is revoked: leaving the cluster and closing every session",
                    tls.certFile());
            onSelfRevoked.run();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
