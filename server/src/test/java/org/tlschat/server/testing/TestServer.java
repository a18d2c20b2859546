package org.tlschat.server.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;

/**
 * A real server on a loopback port with a fresh test PKI, and clients that log in to it. Either
 * started at once in a given directory ({@link #start}), or, as a JUnit extension
 * ({@code @RegisterExtension final TestServer server = TestServer.perTest();}), started before each
 * test in a temporary directory of its own and closed after it, the directory then deleted.
 */
public final class TestServer implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);
    /** Client and admin ports: any free ones on loopback. */
    public static final ServerConfig.Listeners LOOPBACK =
            new ServerConfig.Listeners(ANY_LOOPBACK_PORT, ANY_LOOPBACK_PORT);

    /** Changes the default config (loopback ports, files in {@code dir}) and may add files to {@code dir}. */
    @FunctionalInterface
    public interface Setup {
        ServerConfig.Builder apply(Path dir, ServerConfig.Builder config) throws Exception;
    }

    private final Setup setup;
    private final List<WireClient> clients = new ArrayList<>();
    private Path dir;
    private TestPki pki;
    private ChatServer server;
    private EventLoopGroup clientGroup;

    private TestServer(Setup setup) {
        this.setup = setup;
    }

    public static TestServer start(Path tempDir) throws Exception {
        return start(tempDir, UnaryOperator.identity());
    }

    /** Starts a server whose config (defaults, loopback ports) {@code adjust} may change. */
    public static TestServer start(Path tempDir, UnaryOperator<ServerConfig.Builder> adjust) throws Exception {
        TestServer started = new TestServer(ignoringDir(adjust));
        started.startIn(tempDir);
        return started;
    }

    /** A default server for each test, as an extension. */
    public static TestServer perTest() {
        return perTest(UnaryOperator.identity());
    }

    /** A server for each test whose config {@code adjust} may change, as an extension. */
    public static TestServer perTest(UnaryOperator<ServerConfig.Builder> adjust) {
        return perTest(ignoringDir(adjust));
    }

    /** A server for each test set up by {@code setup} in its directory, as an extension. */
    public static TestServer perTest(Setup setup) {
        return new TestServer(setup);
    }

    private static Setup ignoringDir(UnaryOperator<ServerConfig.Builder> adjust) {
        return (dir, config) -> adjust.apply(config);
    }

    /** Starts in the directory JUnit makes for startIn's {@code @TempDir} parameter and deletes after the test. */
    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        context.getExecutableInvoker().invoke(TestServer.class.getDeclaredMethod("startIn", Path.class), this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (server != null) {
            close();
        }
    }

    private void startIn(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        pki = TestPki.create(tempDir);
        ServerConfig.Builder config =
                ServerConfig.builder(pki.ca().layout(), "n1").listeners(LOOPBACK);
        server = ChatServer.start(setup.apply(tempDir, config).build());
        clientGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    /** The directory holding this server's PKI (and whatever its setup put there). */
    public Path dir() {
        return dir;
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
        return connect(credentials, TlsContexts.provider());
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
        clientGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
