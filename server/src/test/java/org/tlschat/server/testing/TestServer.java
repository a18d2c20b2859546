package org.tlschat.server.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;

/** A real server on a loopback port with a fresh test PKI, and clients that log in to it. */
public final class TestServer implements AutoCloseable {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final TestPki pki;
    private final ChatServer server;
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<WireClient> clients = new ArrayList<>();

    private TestServer(TestPki pki, ChatServer server) {
        this.pki = pki;
        this.server = server;
    }

    public static TestServer start(Path tempDir) throws Exception {
        return start(tempDir, UnaryOperator.identity());
    }

    /** Starts a server whose config (defaults, loopback ports) {@code adjust} may change. */
    public static TestServer start(Path tempDir, UnaryOperator<ServerConfig> adjust) throws Exception {
        TestPki pki = TestPki.create(tempDir);
        ServerConfig config = ServerConfig.of(pki.ca().caCertFile(), pki.node("n1").cert(), pki.node("n1").key(),
                        pki.ca().crlFile())
                .withListen(ANY_LOOPBACK_PORT).withAdmin(ANY_LOOPBACK_PORT);
        return new TestServer(pki, ChatServer.start(adjust.apply(config)));
    }

    public TestPki pki() {
        return pki;
    }

    public ChatServer server() {
        return server;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.address().getPort());
    }

    /** A TLS connection presenting {@code user}'s certificate (none if null); nothing read yet. */
    public WireClient connect(String user) throws Exception {
        return connect(user == null ? null : pki.user(user));
    }

    public WireClient connect(TestPki.Credentials credentials) throws Exception {
        WireClient client = WireClient.connect(clientGroup, address(), pki.clientTls(credentials, TlsContexts.provider()));
        clients.add(client);
        return client;
    }

    public WireClient connect(TestPki.Credentials credentials, SslProvider provider) throws Exception {
        WireClient client = WireClient.connect(clientGroup, address(), pki.clientTls(credentials, provider));
        clients.add(client);
        return client;
    }

    /** An mtls session of {@code user}, past its WELCOME. */
    public WireClient login(String user) throws Exception {
        WireClient client = connect(user);
        client.expect(ServerFrame.Welcome.class);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(WireClient::close);
        server.close();
        clientGroup.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
