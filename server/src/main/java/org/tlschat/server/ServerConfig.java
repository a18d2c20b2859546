package org.tlschat.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.tlschat.pki.TlsVersion;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;
import org.tlschat.server.cluster.ClusterConfig;

/**
 * Everything a server is started with, in one place. Built by {@code tlschat server} from flags,
 * TLSCHAT_* environment variables and the config file, or directly by tests.
 *
 * @param admin    null turns the admin HTTP listener off
 * @param crl      null means no revocation list
 * @param users    the password file, used only in {@link AuthMode#PASSWORD}
 * @param nodeName this node's name in session and message ids and in the cluster; null = the
 *                 name in the node certificate
 * @param cluster  null runs a single node
 */
public record ServerConfig(
        InetSocketAddress listen,
        InetSocketAddress admin,
        Path ca,
        Path cert,
        Path key,
        Path crl,
        AuthMode auth,
        Path users,
        TlsVersion tlsVersion,
        int maxFrame,
        int rateLimit,
        int rateBurst,
        int maxPendingBytes,
        Duration idleTimeout,
        Duration handshakeTimeout,
        Duration authTimeout,
        String nodeName,
        ClusterConfig cluster) {

    public static final int DEFAULT_PORT = HostPort.DEFAULT_PORT;
    public static final int DEFAULT_ADMIN_PORT = 9090;
    /** 100 messages/s with bursts of 200: generous for people, a wall for floods. */
    public static final int DEFAULT_RATE_LIMIT = 100;
    public static final int DEFAULT_RATE_BURST = 200;
    public static final int MAX_RATE_LIMIT = 1_000_000;
    /** Unsent bytes per session before it counts as a slow consumer: bounds memory per connection. */
    public static final int DEFAULT_MAX_PENDING_BYTES = 8 * 1024 * 1024;

    public ServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tlsVersion, "tlsVersion");
        if (auth == AuthMode.PASSWORD && users == null) {
            throw new IllegalArgumentException("password mode needs a users file (--users)");
        }
    }

    /** A config with every default, for the node certificate files given. */
    public static ServerConfig of(Path ca, Path cert, Path key, Path crl) {
        return new ServerConfig(new InetSocketAddress("0.0.0.0", DEFAULT_PORT),
                new InetSocketAddress("127.0.0.1", DEFAULT_ADMIN_PORT), ca, cert, key, crl,
                AuthMode.MTLS, null, TlsVersion.TLS13, Limits.MAX_FRAME_BYTES,
                DEFAULT_RATE_LIMIT, DEFAULT_RATE_BURST, DEFAULT_MAX_PENDING_BYTES,
                Limits.IDLE_TIMEOUT, Limits.HANDSHAKE_TIMEOUT, Limits.AUTH_TIMEOUT, null, null);
    }

    public ServerConfig withListen(InetSocketAddress value) {
        return new ServerConfig(value, admin, ca, cert, key, crl, auth, users, tlsVersion, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    /** The same server with other TLS files (tests: a node of another CA). */
    public ServerConfig withCredentials(Path caFile, Path certFile, Path keyFile) {
        return new ServerConfig(listen, admin, caFile, certFile, keyFile, crl, auth, users, tlsVersion, maxFrame,
                rateLimit, rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    public ServerConfig withAdmin(InetSocketAddress value) {
        return new ServerConfig(listen, value, ca, cert, key, crl, auth, users, tlsVersion, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    /** {@code value} null turns revocation checking off. */
    public ServerConfig withCrl(Path value) {
        return new ServerConfig(listen, admin, ca, cert, key, value, auth, users, tlsVersion, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    public ServerConfig withPasswordAuth(Path usersFile) {
        return new ServerConfig(listen, admin, ca, cert, key, crl, AuthMode.PASSWORD, usersFile, tlsVersion, maxFrame,
                rateLimit, rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    public ServerConfig withTlsVersion(TlsVersion value) {
        return new ServerConfig(listen, admin, ca, cert, key, crl, auth, users, value, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    public ServerConfig withLimits(int frame, int rate, int burst, int pendingBytes) {
        return new ServerConfig(listen, admin, ca, cert, key, crl, auth, users, tlsVersion, frame, rate,
                burst, pendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, cluster);
    }

    public ServerConfig withTimeouts(Duration idle, Duration handshake, Duration authentication) {
        return new ServerConfig(listen, admin, ca, cert, key, crl, auth, users, tlsVersion, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idle, handshake, authentication, nodeName, cluster);
    }

    public ServerConfig withNodeName(String value) {
        return new ServerConfig(listen, admin, ca, cert, key, crl, auth, users, tlsVersion, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, value, cluster);
    }

    public ServerConfig withCluster(ClusterConfig value) {
        return new ServerConfig(listen, admin, ca, cert, key, crl, auth, users, tlsVersion, maxFrame, rateLimit,
                rateBurst, maxPendingBytes, idleTimeout, handshakeTimeout, authTimeout, nodeName, value);
    }
}
