package org.tlschat.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tlschat.pki.testing.TestPki;

/**
 * The TLS alert a refused client receives names the reason and never blames the server
 * ({@code internal_error}). With OpenSSL: {@code unknown_ca} for another CA, {@code bad_certificate}
 * for a wrong certificate of ours. The JDK engine answers every refused client certificate with
 * {@code certificate_unknown}.
 */
class RefusalAlertTest {
    @TempDir
    Path temp;

    /** Attempts that may lose the race between the server's close and the client's last write. */
    private static final int TRANSPORT_RACE_ATTEMPTS = 5;

    private TestPki pki;

    @BeforeEach
    void createPki() {
        pki = TestPki.create(temp);
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void aCertificateFromAnotherCaGetsTheUnknownCaAlert(SslProvider serverProvider) throws Exception {
        assertThat(alertReceivedBy(pki.rogueUser("mallory"), serverProvider))
                .isEqualTo(alert(serverProvider, "unknown_ca"));
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void aSelfSignedCertificateGetsTheUnknownCaAlert(SslProvider serverProvider) throws Exception {
        TestPki.Credentials selfSigned = pki.forge("self-signed", selfSigner(), TestPki.userRequest("mallory"));
        assertThat(alertReceivedBy(selfSigned, serverProvider)).isEqualTo(alert(serverProvider, "unknown_ca"));
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void aNodeCertificatePresentedAsAUserGetsABadCertificateAlert(SslProvider serverProvider) throws Exception {
        assertThat(alertReceivedBy(pki.node("n1"), serverProvider)).isEqualTo(alert(serverProvider, "bad_certificate"));
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void aCertificateWithoutClientAuthGetsABadCertificateAlert(SslProvider serverProvider) throws Exception {
        assertThat(alertReceivedBy(pki.userWithoutClientAuth("erin"), serverProvider))
                .isEqualTo(alert(serverProvider, "bad_certificate"));
    }

    private static String alert(SslProvider serverProvider, String openSslAlert) {
        return "Received fatal alert: "
                + (serverProvider == SslProvider.OPENSSL ? openSslAlert : "certificate_unknown");
    }

    /**
     * The message of the exception a JDK client gets on its first read after the handshake. The
     * server may refuse the certificate and close while the client is still writing the rest of its
     * flight: its next write then fails with "Broken pipe" (or a reset) before it reads the alert,
     * which says nothing about the alert. Such an attempt is made again, a few times at most.
     */
    private String alertReceivedBy(TestPki.Credentials client, SslProvider serverProvider) throws Exception {
        String refusal = null;
        for (int attempt = 0; attempt < TRANSPORT_RACE_ATTEMPTS; attempt++) {
            refusal = refusalSeenBy(client, serverProvider);
            if (!refusal.contains("Broken pipe") && !refusal.contains("Connection reset")) {
                return refusal;
            }
        }
        return refusal;
    }

    private String refusalSeenBy(TestPki.Credentials client, SslProvider serverProvider) throws Exception {
        try (LoopbackEcho echo = new LoopbackEcho(pki.serverTls(serverProvider, true))) {
            JdkSslContext context = (JdkSslContext) pki.clientTls(client, SslProvider.JDK);
            try (SSLSocket socket =
                    (SSLSocket) context.context().getSocketFactory().createSocket("127.0.0.1", echo.port())) {
                socket.setSoTimeout(10_000);
                Throwable refused = catchThrowable(() -> {
                    socket.startHandshake();
                    socket.getInputStream().read();
                });
                assertThat(refused).as("the server refused the client").isInstanceOf(IOException.class);
                return refused.getMessage();
            }
        }
    }

    /** An issuer whose CA is a fresh self-signed certificate: the leaf it signs chains to nothing we trust. */
    private static CertificateIssuer selfSigner() {
        Instant now = Instant.now();
        IssuedCertificate self = CertificateIssuer.selfSignedCa(
                TestPki.TRUST_DOMAIN, KeyType.EC, now.minusSeconds(3600), now.plusSeconds(86_400));
        return new CertificateIssuer(self.certificate(), self.privateKey());
    }
}
