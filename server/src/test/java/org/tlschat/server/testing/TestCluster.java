package org.tlschat.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ChatServer;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.cluster.ClusterConfig;

/** Several real nodes in one JVM, clustered over TLS on loopback, and clients logged in to them. */
public final class TestCluster implements AutoCloseable {
    private final TestPki pki;
    private final List<InetSocketAddress> clusterPorts = new ArrayList<>();
    private final Map<String, ChatServer> nodes = new LinkedHashMap<>();
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<WireClient> clients = new ArrayList<>();

    private final UnaryOperator<ServerConfig.Builder> adjust;

    private TestCluster(TestPki pki, UnaryOperator<ServerConfig.Builder> adjust) {
        this.pki = pki;
        this.adjust = adjust;
    }

    /** Starts nodes n1..nN that find each other through a static peer list, and waits for one view. */
    public static TestCluster start(Path tempDir, int size) throws Exception {
        return start(tempDir, size, UnaryOperator.identity());
    }

    /** The same, with every node's config changed by {@code adjust}. */
    public static TestCluster start(Path tempDir, int size, UnaryOperator<ServerConfig.Builder> adjust)
            throws Exception {
        TestCluster cluster = new TestCluster(TestPki.create(tempDir), adjust);
        for (int i = 1; i <= size; i++) {
            cluster.clusterPorts.add(new InetSocketAddress("127.0.0.1", freePort()));
            if (i > 1) {
                cluster.pki.ca().issueNode("n" + i, List.of(), List.of(), 30);
            }
        }
        for (int i = 1; i <= size; i++) {
            cluster.startNode("n" + i);
        }
        cluster.awaitView(size);
        return cluster;
    }

    public TestPki pki() {
        return pki;
    }

    public ChatServer node(String name) {
        return nodes.get(name);
    }

    /** Starts (or restarts) node {@code name} with its original cluster port. */
    public ChatServer startNode(String name) throws Exception {
        return startNode(name, UnaryOperator.identity());
    }

    /** The same, with this node's config further changed by {@code adjustThisNode}. */
    public ChatServer startNode(String name, UnaryOperator<ServerConfig.Builder> adjustThisNode) throws Exception {
        int index = Integer.parseInt(name.substring(1)) - 1;
        ClusterConfig clustering = new ClusterConfig(clusterPorts.get(index), null, clusterPorts, null, "test");
        ServerConfig.Builder config = ServerConfig.builder(pki.ca().layout(), name)
                .listeners(TestServer.LOOPBACK)
                .cluster(clustering);
        ChatServer server =
                ChatServer.start(adjustThisNode.apply(adjust.apply(config)).build());
        nodes.put(name, server);
        return server;
    }

    /** The cluster (JGroups) port of node {@code name}. */
    public InetSocketAddress clusterAddress(String name) {
        return clusterPorts.get(Integer.parseInt(name.substring(1)) - 1);
    }

    public void stopNode(String name) {
        nodes.remove(name).close();
    }

    /** Waits until every running node sees a view of {@code size} members. */
    public void awaitView(int size) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> nodes.values()
                        .forEach(n -> assertThat(n.cluster().view().size())
                                .as("view of %s", n.hub().node())
                                .isEqualTo(size)));
    }

    /** Waits until every running node lists exactly {@code users} as online. */
    public void awaitUsersEverywhere(String... users) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> nodes.values()
                        .forEach(n -> assertThat(n.hub().users())
                                .extracting(ServerFrame.UserEntry::user)
                                .as("users on %s", n.hub().node())
                                .containsExactly(users)));
    }

    /** An mtls session of {@code user} on node {@code name}, past its WELCOME. */
    public WireClient login(String user, String name) throws Exception {
        InetSocketAddress at =
                new InetSocketAddress("127.0.0.1", nodes.get(name).address().getPort());
        WireClient client = WireClient.connect(clientGroup, at, pki.clientTls(user, TlsContexts.provider()));
        clients.add(client);
        assertThat(client.expect(ServerFrame.Welcome.class).node()).isEqualTo(name);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(WireClient::close);
        nodes.values().forEach(ChatServer::close);
        clientGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
