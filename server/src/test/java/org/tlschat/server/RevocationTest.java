package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.pki.PkiException;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** Live revocation: the server notices a new crl.pem by itself and ends the revoked sessions within 5 s. */
class RevocationTest {
    private static final Duration CONTRACT = Duration.ofSeconds(5);

    @RegisterExtension
    final TestServer server = TestServer.perTest();

    @Test
    void aSessionWhoseCertificateIsRevokedGetsFatalRevokedWithinFiveSecondsAndAliceIsStillServed() throws Exception {
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");
        long start = System.nanoTime();

        server.pki().ca().revoke("bob");

        ServerFrame.Err err = bob.expectErr(ErrorCode.REVOKED);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("time to ERR REVOKED")
                .isLessThan(CONTRACT);
        assertThat(err.fatal()).isTrue();
        bob.expectClosed();
        alice.send(new Request.Ping("alive"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("alive");
        WireClient bobAgain = connectQuietly("bob");
        bobAgain.expectClosed();
        assertThat(bobAgain.drain()).as("no WELCOME for a revoked certificate").isEmpty();
    }

    @Test
    void aCorruptCrlFileKeepsThePreviousCrlInForce() throws Exception {
        server.pki().ca().revoke("carol");
        WireClient bob = server.login("bob");
        // wait until the watcher applied the CRL listing carol: her new connection is refused
        Awaitility.await().atMost(CONTRACT).until(() -> {
            WireClient carol = connectQuietly("carol");
            return carol.channel().closeFuture().awaitUninterruptibly(WireClient.WAIT.toMillis())
                    && carol.drain().isEmpty();
        });

        Files.writeString(server.pki().ca().layout().crl(), "-----BEGIN X509 CRL-----\nhalf written");

        WireClient carol = connectQuietly("carol");
        carol.expectClosed();
        assertThat(carol.drain()).as("carol is still revoked").isEmpty();
        bob.send(new Request.Ping("p"));
        assertThat(bob.expect(ServerFrame.Pong.class).re()).isEqualTo("p");
    }

    @Test
    void anOlderValidlySignedCrlCopiedOverCrlPemDoesNotUndoARevocation() throws Exception {
        Path crl = server.pki().ca().layout().crl();
        byte[] older = Files.readAllBytes(crl);
        server.pki().ca().revoke("carol");
        server.server().trust().reloadCrl();

        Files.write(crl, older);

        assertThatThrownBy(() -> server.server().trust().reloadCrl())
                .as("the watcher's reload of the older CRL")
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("older than the CRL in force");
        WireClient carol = connectQuietly("carol");
        carol.expectClosed();
        assertThat(carol.drain()).as("carol is still revoked").isEmpty();
        WireClient bob = server.login("bob");
        bob.send(new Request.Ping("p"));
        assertThat(bob.expect(ServerFrame.Pong.class).re()).isEqualTo("p");
    }

    private WireClient connectQuietly(String user) {
        try {
            return server.connect(user);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
