package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.SslHandler;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Node certificate rotation without a restart: new connections get the new one, sessions go on. */
class CertificateRotationTest {
    @RegisterExtension
    final TestServer server = TestServer.perTest();

    @Test
    void aReissuedNodeCertificateIsUsedForNewConnectionsWhileOldSessionsContinue() throws Exception {
        WireClient alice = server.login("alice");
        BigInteger before = serverSerialSeenBy(alice);

        BigInteger after = server.pki()
                .ca()
                .issueNode("n1", List.of(), List.of(), 30, true)
                .serial();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(serverSerialSeenBy(server.login("bob"))).isEqualTo(after));
        assertThat(after).isNotEqualTo(before);
        alice.send(new Request.Ping("still"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("still");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateKeepsThePreviousContext() throws Exception {
        BigInteger before = serverSerialSeenBy(server.login("alice"));
        Path nodeKey = server.pki().node("n1").key();
        Path otherKey = server.pki().user("carol").key();

        Files.copy(otherKey, nodeKey, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(
                server.pki().node("n1").cert(),
                Files.readString(server.pki().node("n1").cert()) + "\n");

        // two poll periods later the watcher has seen both files; the bad pair was refused
        await().pollDelay(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(serverSerialSeenBy(server.login("bob"))).isEqualTo(before));
    }

    private static BigInteger serverSerialSeenBy(WireClient client) throws Exception {
        SslHandler tls = client.channel().pipeline().get(SslHandler.class);
        return ((X509Certificate) tls.engine().getSession().getPeerCertificates()[0]).getSerialNumber();
    }
}
