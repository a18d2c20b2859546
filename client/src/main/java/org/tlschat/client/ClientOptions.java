package org.tlschat.client;

import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TlsVersion;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;

/**
 * How a {@link ChatClient} connects: the servers to try in order, the CA that must have issued the
 * server's certificate, and either a client certificate (mtls) or a user and password (password
 * mode). Build with {@link #builder()}.
 *
 * @param servers        tried in order; the first that answers is used
 * @param ca             the CA certificate (ca.pem) the server's certificate must chain to
 * @param cert           the client certificate (mtls), or null in password mode
 * @param key            its PKCS#8 key (mtls), or null in password mode
 * @param user           the user name (password mode), or null in mtls mode
 * @param password       the password (password mode), or null in mtls mode
 * @param tlsVersion     TLS 1.3 only (default) or 1.3 and 1.2
 * @param provider       OpenSSL or JDK TLS engine (default {@link TlsContexts#provider()})
 * @param pingInterval   how often to PING (default {@link Limits#PING_INTERVAL})
 * @param connectTimeout TCP connect timeout, and again for the handshake and WELCOME
 * @param reconnectFor   how long to keep trying to reconnect after an established session lost its
 *                       connection (default {@link #DEFAULT_RECONNECT_FOR}); zero: never reconnect
 */
public record ClientOptions(
        List<HostPort> servers,
        Path ca,
        Path cert,
        Path key,
        String user,
        String password,
        TlsVersion tlsVersion,
        SslProvider provider,
        Duration pingInterval,
        Duration connectTimeout,
        Duration reconnectFor) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_FOR = Duration.ofSeconds(60);

    public ClientOptions {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server address given");
        }
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(tlsVersion, "tlsVersion");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectFor, "reconnectFor");
        boolean certificate = cert != null || key != null;
        boolean password_ = user != null || password != null;
        if (certificate && (cert == null || key == null)) {
            throw new IllegalArgumentException("a client certificate needs both its certificate and its key file");
        }
        if (password_ && (user == null || password == null)) {
            throw new IllegalArgumentException("password mode needs both a user and a password");
        }
        if (certificate == password_) {
            throw new IllegalArgumentException(
                    "give either a client certificate and key (mtls) or a user and password (password mode)");
        }
        if (pingInterval.isNegative()
                || pingInterval.isZero()
                || connectTimeout.isNegative()
                || connectTimeout.isZero()) {
            throw new IllegalArgumentException("ping interval and connect timeout must be positive");
        }
        if (reconnectFor.isNegative()) {
            throw new IllegalArgumentException("the reconnect time must not be negative");
        }
    }

    /** True for mtls (a client certificate), false for password mode. */
    public boolean mtls() {
        return cert != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ClientOptions[servers=" + servers + ", ca=" + ca + ", cert=" + cert + ", key=" + key
                + ", user=" + user + ", password=" + (password == null ? null : "***") + ", tlsVersion=" + tlsVersion
                + ", provider=" + provider + ", pingInterval=" + pingInterval + ", connectTimeout=" + connectTimeout
                + ", reconnectFor=" + reconnectFor + "]";
    }

    /** A mutable builder; {@link #build()} checks the combination. */
    public static final class Builder {
        private List<HostPort> servers = List.of();
        private Path ca;
        private Path cert;
        private Path key;
        private String user;
        private String password;
        private TlsVersion tlsVersion = TlsVersion.TLS13;
        private SslProvider provider;
        private Duration pingInterval = Limits.PING_INTERVAL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration reconnectFor = DEFAULT_RECONNECT_FOR;

        private Builder() {}

        public Builder servers(List<HostPort> value) {
            servers = value;
            return this;
        }

        /** {@code HOST:PORT[,HOST:PORT...]}; IllegalArgumentException with a readable message. */
        public Builder servers(String value) {
            servers = HostPort.parseList(value);
            return this;
        }

        public Builder server(String host, int port) {
            servers = List.of(new HostPort(host, port));
            return this;
        }

        public Builder ca(Path value) {
            ca = value;
            return this;
        }

        /** mtls: the client certificate and its key. */
        public Builder certificate(Path certFile, Path keyFile) {
            cert = certFile;
            key = keyFile;
            return this;
        }

        /** Password mode: the user and password sent in AUTH. */
        public Builder password(String userName, String secret) {
            user = userName;
            password = secret;
            return this;
        }

        public Builder tlsVersion(TlsVersion value) {
            tlsVersion = value;
            return this;
        }

        public Builder provider(SslProvider value) {
            provider = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            pingInterval = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /** How long to keep trying to reconnect a lost session; {@link Duration#ZERO}: never. */
        public Builder reconnectFor(Duration value) {
            reconnectFor = value;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(
                    servers,
                    ca,
                    cert,
                    key,
                    user,
                    password,
                    tlsVersion,
                    provider != null ? provider : TlsContexts.provider(),
                    pingInterval,
                    connectTimeout,
                    reconnectFor);
        }
    }
}
