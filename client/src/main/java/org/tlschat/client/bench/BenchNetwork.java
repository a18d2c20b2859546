package org.tlschat.client.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.netty.NettyTransport;

/**
 * The bench's own lean client: TLS, a line framer and a {@link BenchConnection} — no client
 * library in between, so the numbers are the server's. Connection {@code i} goes to server
 * {@code i mod n}, as user {@code i mod u}, from loopback source address 127.0.0.(2 + i mod sources)
 * when the server is on loopback (each source address has its own ephemeral ports).
 */
final class BenchNetwork implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup group;
    private final Bootstrap bootstrap;
    private final List<HostPort> servers;
    private final UserCertificates users;
    private final BenchStats stats;
    private final int sources;

    BenchNetwork(List<HostPort> servers, UserCertificates users, BenchStats stats, int sources) {
        this.servers = servers;
        this.users = users;
        this.stats = stats;
        this.sources = sources;
        NettyTransport transport = NettyTransport.best();
        this.group = transport.newGroup(0, "tlschat-bench");
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) BenchSettings.GRACE.toMillis());
    }

    /** Connection number {@code index}; completes at its WELCOME, fails if it never comes. */
    CompletableFuture<BenchConnection> connect(int index) {
        HostPort server = servers.get(index % servers.size());
        BenchConnection connection = new BenchConnection(stats, users.user(index));
        ChannelFuture connected = bootstrap
                .clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler tls = users.context(index).newHandler(ch.alloc(), server.host(), server.port());
                        tls.setHandshakeTimeoutMillis(BenchSettings.GRACE.toMillis());
                        ch.pipeline()
                                .addLast("tls", tls)
                                .addLast("framer", new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES + 1024, true, true))
                                .addLast("bench", connection);
                    }
                })
                .connect(server.resolve(), source(server, index));
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                stats.error("CONNECT_FAILED");
                connection.welcomed().completeExceptionally(f.cause());
            }
        });
        return connection
                .welcomed()
                .orTimeout(BenchSettings.GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((c, failure) -> {
                    if (failure != null && connected.channel().isOpen()) {
                        connected.channel().close();
                    }
                });
    }

    private InetSocketAddress source(HostPort server, int index) {
        if (sources == 0) {
            return null;
        }
        try {
            if (!InetAddress.getByName(server.host()).isLoopbackAddress()) {
                return null;
            }
            int n = 2 + index % sources;
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, (byte) (n >> 8), (byte) n}), 0);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
