package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.CertificateIssuer;
import org.tlschat.pki.CertificateRequest;
import org.tlschat.pki.IssuedCertificate;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.server.ServerConfig.TlsFiles;
import org.tlschat.server.testing.TestCluster;

/**
 * Only valid, unrevoked node certificates get into the cluster: a user certificate is refused on
 * the cluster port, and a revoked node leaves by itself and never gets back in.
 */
class ClusterAdmissionTest {
    @TempDir
    Path tmp;

    TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(tmp, 3);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aUserCertificateIsRefusedInTheTlsHandshakeOnTheClusterPort() throws Exception {
        assertRefusedOnTheClusterPort(cluster.pki().user("alice"));
    }

    @Test
    void noCertificateIsRefusedInTheTlsHandshakeOnTheClusterPort() {
        assertRefusedOnTheClusterPort(null);
    }

    @Test
    void aNodeCertificateOfAnotherCaIsRefusedInTheTlsHandshakeOnTheClusterPort() throws Exception {
        RogueNode rogue = rogueNode("n3");

        assertRefusedOnTheClusterPort(rogue.credentials());
    }

    @Test
    void aNodeOfAnotherCaNeverEntersTheView() throws Exception {
        cluster.stopNode("n3");
        cluster.awaitView(2);
        RogueNode rogue = rogueNode("n3");

        cluster.startNode(
                "n3",
                c -> c.tls(new TlsFiles(
                        rogue.ca(),
                        rogue.credentials().cert(),
                        rogue.credentials().key(),
                        null,
                        TlsVersion.TLS13)));

        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cluster.node("n1").cluster().view().size())
                    .as("view of n1")
                    .isEqualTo(2);
            assertThat(cluster.node("n2").cluster().view().size())
                    .as("view of n2")
                    .isEqualTo(2);
            assertThat(cluster.node("n3").cluster().view().size())
                    .as("view of the rogue n3")
                    .isEqualTo(1);
        });
    }

    @Test
    void aRevokedNodeLeavesTheClusterAndNeverReentersEvenWithoutTheCrl() throws Exception {
        cluster.pki().ca().revoke("n3");

        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node("n3").isClosed());
        cluster.stopNode("n3");
        cluster.awaitView(2);
        assertThatThrownBy(() -> cluster.startNode("n3"))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("revoked");

        // a stolen node certificate used by a node that does not check the CRL: the others refuse it
        cluster.startNode("n3", c -> c.tls(TlsFiles::withoutCrl));
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cluster.node("n1").cluster().view().size())
                    .as("view of n1")
                    .isEqualTo(2);
            assertThat(cluster.node("n3").cluster().view().size())
                    .as("view of n3")
                    .isEqualTo(1);
        });
    }

    /**
     * Every connection to the cluster port is a full handshake, so a node certificate revoked
     * since its holder's last connection cannot get back in with a resumed TLS session.
     */
    @Test
    void theClusterPortResumesNoSessionSoARevokedNodeCannotReconnectWithACachedOne() throws Exception {
        cluster.pki().ca().issueNode("n9", List.of(), List.of(), 30);
        JdkSslContext n9 = (JdkSslContext) cluster.pki().clientTls(cluster.pki().node("n9"), SslProvider.JDK);
        InetSocketAddress n1 = cluster.clusterAddress("n1");
        long first = acceptedSession(n1, n9);
        assertThat(acceptedSession(n1, n9))
                .as("the second connection made a new session, it did not resume the first")
                .isNotEqualTo(first);

        cluster.pki().ca().revoke("n9");
        cluster.node("n1").trust().reloadCrl();

        assertThatThrownBy(() -> handshakeAndRead(n1, n9))
                .as("refused by the server, not a read timeout")
                .isInstanceOfAny(SSLException.class, SocketException.class);
    }

    /**
     * Connects, handshakes, and reads: the read times out because the server accepted the
     * certificate and waits for JGroups' header (the read also takes in any session ticket).
     * Returns the creation time of the client's TLS session.
     */
    private static long acceptedSession(InetSocketAddress at, JdkSslContext context) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) context.context().getSocketFactory().createSocket(at.getHostString(), at.getPort())) {
            socket.setSoTimeout(1_000);
            socket.startHandshake();
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .as("accepted: the server waits for data")
                    .isInstanceOf(SocketTimeoutException.class);
            return socket.getSession().getCreationTime();
        }
    }

    /** A node certificate named like ours, from a CA of the same trust domain that nobody trusts. */
    private record RogueNode(Path ca, TestPki.Credentials credentials) {}

    private RogueNode rogueNode(String name) {
        Instant now = Instant.now();
        IssuedCertificate rogueCa = CertificateIssuer.selfSignedCa(
                TestPki.TRUST_DOMAIN, KeyType.EC, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        Path caFile = tmp.resolve("rogue-ca.pem");
        PemFiles.writeCertificates(caFile, rogueCa.certificate());
        TestPki.Credentials credentials = cluster.pki()
                .forge(
                        "rogue-" + name,
                        new CertificateIssuer(rogueCa.certificate(), rogueCa.privateKey()),
                        CertificateRequest.node(TestPki.TRUST_DOMAIN, name, List.of(), List.of(), KeyType.EC, 30));
        return new RogueNode(caFile, credentials);
    }

    /**
     * The TLS handshake to n1's cluster port is refused: an alert, or (JGroups' JDK server socket
     * may drop the connection before its alert is read) a reset. A read timeout would mean the
     * server accepted and waited, so it is not a refusal.
     */
    private void assertRefusedOnTheClusterPort(TestPki.Credentials credentials) {
        assertThatThrownBy(() -> handshakeAndRead(cluster.clusterAddress("n1"), credentials))
                .as("refused by the server, not a read timeout")
                .isInstanceOfAny(SSLException.class, SocketException.class);
    }

    /** A JGroups-free TLS client: handshake, then a read, where a refused certificate shows up. */
    private void handshakeAndRead(InetSocketAddress at, TestPki.Credentials credentials) throws Exception {
        handshakeAndRead(at, (JdkSslContext) cluster.pki().clientTls(credentials, SslProvider.JDK));
    }

    private static void handshakeAndRead(InetSocketAddress at, JdkSslContext context) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) context.context().getSocketFactory().createSocket(at.getHostString(), at.getPort())) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            socket.getInputStream().read();
        }
    }
}
