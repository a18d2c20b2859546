package org.tlschat.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.pki.testing.TestPki.Credentials;
import org.tlschat.protocol.Limits;

/** Real TLS on loopback, with both providers: who gets in, who is refused and why. */
class TlsRoundTripTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private TestPki pki;

    @BeforeEach
    void createPki() {
        pki = TestPki.create(temp);
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void mutualTlsEchoesAndTheServerSeesTheUserIdentity(SslProvider provider) throws Exception {
        try (LoopbackEcho echo = server(provider, true)) {
            LoopbackEcho.Client alice = echo.connect(pki.clientTls("alice", provider), "localhost");
            assertEchoes(alice);
            assertThat(echo.serverHandshakes()).containsExactly(SpiffeId.parse("spiffe://tlschat.test/user/alice"));
            assertThat(alice.ssl().applicationProtocol()).isEqualTo(Limits.ALPN);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void serverOnlyTlsEchoesWithoutAClientCertificate(SslProvider provider) throws Exception {
        try (LoopbackEcho echo = server(provider, false)) {
            assertEchoes(echo.connect(pki.clientTls((String) null, provider), "127.0.0.1"));
            assertThat(echo.serverHandshakes()).containsExactly(LoopbackEcho.NO_CLIENT_CERT);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void refusesAClientWithoutCertificate(SslProvider provider) throws Exception {
        assertServerRefuses(provider, null, null, "");
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void refusesACertificateFromAnotherCa(SslProvider provider) throws Exception {
        assertServerRefuses(provider, pki.rogueUser("mallory"), Refusal.UNKNOWN_CA, "issued by an unknown CA");
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void refusesAnExpiredCertificate(SslProvider provider) throws Exception {
        assertServerRefuses(provider, pki.expiredUser("dave"), Refusal.EXPIRED, "certificate has expired");
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void refusesAUserCertificateWithoutClientAuth(SslProvider provider) throws Exception {
        assertServerRefuses(
                provider,
                pki.userWithoutClientAuth("erin"),
                Refusal.WRONG_KEY_USAGE,
                "lacks extended key usage clientAuth");
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void refusesANodeCertificateWhereAUserIsRequired(SslProvider provider) throws Exception {
        assertServerRefuses(
                provider,
                pki.node("n1"),
                Refusal.WRONG_IDENTITY,
                "expected a user identity spiffe://tlschat.test/user/<name>, got spiffe://tlschat.test/node/n1");
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void refusesANewHandshakeOnceTheCertificateIsRevokedAndTheCrlReloaded(SslProvider provider) throws Exception {
        try (LoopbackEcho echo = server(provider, true)) {
            assertEchoes(echo.connect(pki.clientTls("bob", provider), "localhost"));
            pki.ca().revoke("bob");
            pki.trust().reloadCrl();
            assertRefused(
                    echo,
                    echo.connect(pki.clientTls("bob", provider), "localhost"),
                    Refusal.REVOKED,
                    "certificate is revoked");
            assertEchoes(echo.connect(pki.clientTls("carol", provider), "localhost"));
        }
    }

    /**
     * A connection resumes the previous one's session (same session creation time on the client;
     * the test retries should a ticket arrive too late); once bob is revoked, a third connection offering the same session is refused:
     * resumption does not skip the CRL.
     */
    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void aRevokedCertificateCannotResumeItsSession(SslProvider provider) throws Exception {
        try (LoopbackEcho echo = server(provider, true)) {
            SslContext bob = pki.clientTls("bob", provider);
            AtomicLong previous = new AtomicLong(echoAndClose(echo.connect(bob, "localhost")));
            await("a connection resumed the previous one's session")
                    .atMost(TIMEOUT)
                    .until(() -> previous.getAndSet(echoAndClose(echo.connect(bob, "localhost"))) == previous.get());

            pki.ca().revoke("bob");
            pki.trust().reloadCrl();

            assertRefused(echo, echo.connect(bob, "localhost"), Refusal.REVOKED, "certificate is revoked");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void clientRefusesAServerWhoseCertificateLacksTheDialledHost(SslProvider provider) throws Exception {
        Credentials elsewhere = forgeNode(
                request -> request.withDnsNames(List.of("elsewhere.example")).withIpAddresses(List.of("10.9.9.9")));
        assertClientRefuses(
                provider, elsewhere, Refusal.HOSTNAME_MISMATCH, "certificate does not match host 'localhost'");
    }

    @ParameterizedTest
    @EnumSource(
            value = SslProvider.class,
            names = {"OPENSSL", "JDK"})
    void clientRefusesAServerPresentingAUserCertificate(SslProvider provider) throws Exception {
        Credentials userAsServer = forgeNode(request -> request.withUris(List.of("spiffe://tlschat.test/user/alice")));
        assertClientRefuses(provider, userAsServer, Refusal.WRONG_IDENTITY, "expected a node identity");
    }

    private LoopbackEcho server(SslProvider provider, boolean mutual) throws Exception {
        assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) unavailable");
        return new LoopbackEcho(pki.serverTls(provider, mutual));
    }

    private Credentials forgeNode(Function<CertificateRequest, CertificateRequest> change) {
        return pki.forge(
                "bad-node",
                pki.ca().issuer(),
                change.apply(CertificateRequest.node(TestPki.TRUST_DOMAIN, "n9", List.of(), List.of(), KeyType.EC, 1)));
    }

    /** {@code refusal} null: the TLS stack refuses before {@link PeerVerifier} is asked. */
    private void assertServerRefuses(SslProvider provider, Credentials client, Refusal refusal, String reason)
            throws Exception {
        try (LoopbackEcho echo = server(provider, true)) {
            assertRefused(echo, echo.connect(pki.clientTls(client, provider), "localhost"), refusal, reason);
        }
    }

    private void assertClientRefuses(SslProvider provider, Credentials server, Refusal refusal, String reason)
            throws Exception {
        assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) unavailable");
        SslContext serverContext = pki.serverTls(provider, false, server, SpiffeId.Kind.USER);
        try (LoopbackEcho echo = new LoopbackEcho(serverContext)) {
            LoopbackEcho.Client client = echo.connect(pki.clientTls((String) null, provider), "localhost");
            await().atMost(TIMEOUT).until(() -> client.handshake().isDone());
            assertThat(client.handshake().isSuccess()).isFalse();
            assertThat(causeChain(client.handshake().cause())).contains(reason);
            assertThat(Refusal.of(client.handshake().cause())).contains(refusal);
            await().atMost(TIMEOUT).until(client::closed);
        }
    }

    /**
     * With TLS 1.3 the client may finish its handshake before the server judges its certificate:
     * the refusal then shows as a close before any echo. The server's handshake failure names the reason.
     */
    private static void assertRefused(LoopbackEcho echo, LoopbackEcho.Client client, Refusal refusal, String reason) {
        await().atMost(TIMEOUT).until(() -> client.handshake().isDone());
        if (client.handshake().isSuccess()) {
            client.send("hello");
        }
        await().atMost(TIMEOUT).until(client::closed);
        assertThat(client.lines()).isEmpty();
        await().atMost(TIMEOUT).until(() -> echo.serverHandshakes().stream().anyMatch(Throwable.class::isInstance));
        Throwable failure = (Throwable) echo.serverHandshakes().stream()
                .filter(Throwable.class::isInstance)
                .reduce((first, second) -> second)
                .orElseThrow();
        assertThat(causeChain(failure)).contains(reason);
        if (refusal != null) {
            assertThat(Refusal.of(failure)).contains(refusal);
        }
    }

    /** Echoes once, closes, and returns the creation time of the client's TLS session. */
    private static long echoAndClose(LoopbackEcho.Client client) {
        assertEchoes(client);
        long created = client.ssl().engine().getSession().getCreationTime();
        client.channel().close().syncUninterruptibly();
        return created;
    }

    private static void assertEchoes(LoopbackEcho.Client client) {
        await().atMost(TIMEOUT).until(() -> client.handshake().isDone());
        assertThat(client.handshake().cause()).isNull();
        client.send("hello");
        await().atMost(TIMEOUT).until(() -> client.lines().contains("hello"));
    }

    static String causeChain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append(" <- ");
        }
        return text.toString();
    }
}
