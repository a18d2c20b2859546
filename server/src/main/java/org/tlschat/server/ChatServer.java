package org.tlschat.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.ServerTlsConfig;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.FrameCodec;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.protocol.netty.NettyTransport;
import org.tlschat.server.admin.AdminServer;
import org.tlschat.server.admin.ServerMetrics;
import org.tlschat.server.auth.PasswordVerifier;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.cluster.ClusterBus;
import org.tlschat.server.connection.ChatServerInitializer;
import org.tlschat.server.connection.CloseReason;
import org.tlschat.server.connection.Connection;
import org.tlschat.server.hub.Hub;
import org.tlschat.server.tls.CredentialWatcher;
import org.tlschat.server.tls.ReloadableServerTls;
import org.tlschat.server.tls.RevokedSessions;

/**
 * A running tlschat node: the TLS listener for clients, the Hub, and the admin HTTP listener.
 * {@link #close()} is the graceful shutdown: every connection gets BYE before it is closed.
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup channels;
    private final Channel listener;
    private final AdminServer admin;
    private final Hub hub;
    private final FrameCodec codec;
    private final ServerMetrics metrics;
    private final PasswordVerifier passwords;
    private final TrustMaterial trust;
    private final ClusterBus cluster;
    private final AtomicBoolean ready;
    private final Duration closeGrace;
    private volatile CredentialWatcher watcher;
    private volatile boolean closing;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ChatServer(Builder b) {
        this.bossGroup = b.bossGroup;
        this.workerGroup = b.workerGroup;
        this.channels = b.channels;
        this.listener = b.listener;
        this.admin = b.admin;
        this.hub = b.hub;
        this.codec = b.codec;
        this.metrics = b.metrics;
        this.passwords = b.passwords;
        this.trust = b.trust;
        this.cluster = b.cluster;
        this.ready = b.ready;
        this.closeGrace = b.closeGrace;
    }

    private static ClusterBus joinCluster(ServerConfig config, Builder b) throws IOException, GeneralSecurityException {
        try {
            return ClusterBus.join(
                    config.cluster(), config.tls().cert(), config.tls().key(), b.trust, b.hub, b.metrics);
        } catch (IOException | GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(
                    "cannot join the cluster on port "
                            + config.cluster().listen().getPort() + ": " + e.getMessage(),
                    e);
        }
    }

    public static ChatServer start(ServerConfig config)
            throws IOException, GeneralSecurityException, InterruptedException {
        Builder b = new Builder();
        b.closeGrace = config.timeouts().closeGrace();
        b.trust = TrustMaterial.load(config.tls().ca(), config.tls().crl());
        SpiffeId identity = SpiffeId.of(PemFiles.readCertificate(config.tls().cert()));
        if (identity.kind() != SpiffeId.Kind.NODE) {
            throw new GeneralSecurityException(config.tls().cert() + " is a "
                    + identity.kind().label() + " certificate; a server needs a node certificate ('tlschat pki node')");
        }
        String node = config.nodeName() != null ? config.nodeName() : identity.name();
        if (config.tls().crl() == null) {
            log.warn("no CRL (--no-crl): revocation is OFF, revoked certificates are accepted");
        }
        if (config.tls().crl() != null
                && CredentialWatcher.isRevoked(b.trust, config.tls().cert())) {
            throw new GeneralSecurityException(config.tls().cert() + " is revoked (listed in "
                    + config.tls().crl() + "); issue a new node certificate with 'tlschat pki node --force'");
        }
        ReloadableServerTls tls = ReloadableServerTls.load(
                config.tls().cert(),
                config.tls().key(),
                () -> TlsContexts.server(new ServerTlsConfig(
                        config.tls().cert(),
                        config.tls().key(),
                        b.trust,
                        config.authentication().mode() == AuthMode.MTLS,
                        SpiffeId.Kind.USER,
                        config.tls().minVersion(),
                        TlsContexts.provider())));
        b.metrics = new ServerMetrics();
        b.metrics.tlsProvider(TlsContexts.provider().name());
        b.codec = new FrameCodec(config.limits().maxFrame());
        b.hub = new Hub(node, b.codec, PooledByteBufAllocator.DEFAULT, b.metrics);
        Hub hub = b.hub;
        b.metrics.usersOnline(() -> hub.users().size());
        b.passwords = config.authentication().mode() == AuthMode.PASSWORD
                ? new PasswordVerifier(
                        UserStore.open(config.authentication().users()),
                        config.guessing().perAccount(),
                        config.guessing().perAddress(),
                        config.guessing().window(),
                        config.guessing().queue())
                : null;
        if (config.cluster() != null) {
            b.cluster = joinCluster(config, b);
        }

        NettyTransport transport = NettyTransport.best();
        b.bossGroup = transport.newGroup(1, "tlschat-accept");
        b.workerGroup = transport.newGroup(0, "tlschat-io");
        b.channels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
        ChannelGroup channels = b.channels;
        b.metrics.outboundPending(() -> pendingOutbound(channels));
        try {
            b.listener = new ServerBootstrap()
                    .group(b.bossGroup, b.workerGroup)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(
                            new ChatServerInitializer(tls, config, b.codec, b.hub, b.metrics, b.channels, b.passwords))
                    .bind(config.listeners().client())
                    .sync()
                    .channel();
            if (config.listeners().admin() != null) {
                b.admin = AdminServer.start(
                        config.listeners().admin(), b.bossGroup, transport.serverChannel(), b.metrics, b.ready::get);
            }
        } catch (Exception e) {
            if (b.cluster != null) {
                b.cluster.close();
            }
            b.bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            b.workerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (b.passwords != null) {
                b.passwords.close();
            }
            throw e;
        }
        ChatServer server = new ChatServer(b);
        server.watcher = CredentialWatcher.start(
                b.trust,
                tls,
                new RevokedSessions(b.channels, b.trust),
                () -> new Thread(() -> server.stop(ServerFrame.Bye.after(ErrorCode.REVOKED)), "tlschat-revoked")
                        .start());
        b.ready.set(true);
        log.info(
                "node {} listening on {} ({} auth, TLS by {}, {} transport){}",
                node,
                server.address(),
                config.authentication().mode().name().toLowerCase(Locale.ROOT),
                TlsContexts.providerDescription(),
                transport,
                b.admin == null
                        ? ""
                        : ", admin on http://"
                                + new HostPort(
                                        b.admin.address().getHostString(),
                                        b.admin.address().getPort()));
        return server;
    }

    /** Bytes queued for every client channel (pipeline tasks and TLS included) and not yet on a socket. */
    private static long pendingOutbound(ChannelGroup channels) {
        long total = 0;
        for (Channel ch : channels) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            total += out == null ? 0 : out.totalPendingWriteBytes();
        }
        return total;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The admin HTTP address, or null when it is off. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    public Hub hub() {
        return hub;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public TrustMaterial trust() {
        return trust;
    }

    /** The cluster bus, or null for a single node. */
    public ClusterBus cluster() {
        return cluster;
    }

    /** Stops accepting, says BYE to every connection, and closes them all. */
    @Override
    public void close() {
        stop(ServerFrame.Bye.SHUTDOWN);
    }

    /** True once the node stopped: closed, or its own certificate was revoked. */
    public boolean isClosed() {
        return closing;
    }

    private synchronized void stop(ServerFrame.Bye byeFrame) {
        if (closing) {
            return;
        }
        closing = true;
        ready.set(false);
        watcher.close();
        listener.close().syncUninterruptibly();
        // only these are waited for: a connection accepted just before the listener closed may join the
        // group after this loop, and must not hold shutdown for the grace period (channels.close() ends it)
        Set<Channel> told = new HashSet<>();
        for (Channel ch : channels) {
            told.add(ch);
            Connection connection = Connection.of(ch);
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null || !tls.handshakeFuture().isSuccess()) {
                // still in the TLS handshake: a BYE would wait for it, holding shutdown for the grace period
                connection.closeNow(CloseReason.SERVER_SHUTDOWN);
            } else {
                // the close deadline ends a connection that cannot take its BYE within the grace
                connection.closeAfter(byeFrame, CloseReason.SERVER_SHUTDOWN);
            }
        }
        // each connection forces its own close at the grace; the margin lets those closes run
        channels.newCloseFuture(told::contains)
                .awaitUninterruptibly(closeGrace.plusMillis(250).toMillis());
        channels.close().awaitUninterruptibly(closeGrace.toMillis());
        if (cluster != null) {
            cluster.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (passwords != null) {
            passwords.close();
        }
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("node {} stopped", hub.node());
        stopped.countDown();
    }

    /** Blocks until the node has stopped, whoever stopped it. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** The parts start() assembles before the server exists. */
    private static final class Builder {
        EventLoopGroup bossGroup;
        EventLoopGroup workerGroup;
        ChannelGroup channels;
        Channel listener;
        AdminServer admin;
        Hub hub;
        FrameCodec codec;
        ServerMetrics metrics;
        PasswordVerifier passwords;
        TrustMaterial trust;
        ClusterBus cluster;
        final AtomicBoolean ready = new AtomicBoolean();
        Duration closeGrace;
    }
}
