package org.tlschat.server.cluster;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.jgroups.util.DefaultSocketFactory;
import org.jgroups.util.SocketFactory;
import org.jgroups.util.TLS;
import org.jgroups.util.TLSClientAuth;
import org.tlschat.pki.PeerVerifier;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TrustMaterial;

/**
 * TLS for the cluster port: TLS 1.3 only, mutual, and the peer must present a <em>node</em>
 * identity of this trust domain (a user certificate, another CA, an expired or revoked certificate
 * never gets in). Outgoing handshakes are bounded, so one peer that accepts TCP but never answers
 * cannot stall the sender.
 *
 * <p>No session resumption: a resumed TLS session skips the certificate exchange, and the JDK
 * does not ask the trust manager again, so a node revoked (or expired) after its last handshake
 * could get back in with a cached session. JGroups uses plain {@code SSLSocket}s, where Netty's
 * re-check of resumed sessions ({@code PeerVerifier.ResumptionChecking}) does not apply; instead
 * this node issues no session tickets ({@link #NO_TICKETS_SESSION_TIMEOUT_SECONDS}), so every
 * connection to it is a full handshake that {@link PeerVerifier} checks. Every node does the
 * same, so outgoing connections never resume either.
 */
final class ClusterTls extends TLS {
    /** An outgoing connection whose TCP connect and TLS handshake take longer than this is abandoned. */
    static final long CONNECT_AND_HANDSHAKE_MS = 4_000;

    /**
     * A server session timeout longer than TLS 1.3's 7-day ticket lifetime limit (RFC 8446 §4.6.1):
     * the JDK then sends no NewSessionTicket, so there is nothing to resume (the cluster port is TLS
     * 1.3 only, so there are no TLS 1.2 session ids either). {@code ClusterAdmissionTest} checks it.
     */
    static final int NO_TICKETS_SESSION_TIMEOUT_SECONDS = 7 * 24 * 3600 + 1;

    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("tlschat-cluster-tls-watchdog", true));

    private ClusterTls(SSLContext context) {
        enabled(true);
        setClientAuth(TLSClientAuth.NEED);
        setProtocols(new String[] {"TLSv1.3"});
        setSSLContext(context);
    }

    static ClusterTls create(Path certPem, Path keyPem, TrustMaterial trust) throws GeneralSecurityException {
        List<X509Certificate> chain = PemFiles.readCertificates(certPem);
        PrivateKey key = PemFiles.readPrivateKey(keyPem);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        char[] password = new char[0];
        store.setKeyEntry("node", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), new TrustManager[] {new PeerVerifier(trust, SpiffeId.Kind.NODE)}, null);
        context.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT_SECONDS);
        return new ClusterTls(context);
    }

    @Override
    public SocketFactory createSocketFactory(SSLContext context) {
        SocketFactory factory = super.createSocketFactory(context);
        if (factory instanceof DefaultSocketFactory sockets) {
            sockets.setSocketConfigurator(this::boundHandshake);
        }
        return factory;
    }

    /** Stops the handshake watchdog. */
    void shutdown() {
        watchdog.shutdownNow();
    }

    /** Closes an outgoing TLS socket whose handshake has not completed in time. */
    private void boundHandshake(Socket socket) {
        if (!(socket instanceof SSLSocket tls)) {
            return;
        }
        ScheduledFuture<?> abandon = watchdog.schedule(
                () -> {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing is all we wanted
                    }
                },
                CONNECT_AND_HANDSHAKE_MS,
                TimeUnit.MILLISECONDS);
        tls.addHandshakeCompletedListener(done -> abandon.cancel(false));
    }
}
