package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/**
 * Mutual TLS refuses every client that is not a valid, unrevoked user of this CA: no WELCOME, a
 * close, a count by reason in the metrics, and the next legitimate client is served as usual.
 */
class TlsRefusalTest {
    private static final String FAILURES = "tlschat_tls_handshake_failures_total";
    private static EventLoopGroup group;

    @TempDir
    Path tmp;

    TestServer server;

    @BeforeAll
    static void startClientLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClientLoop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A bad client credential, made from the test PKI (and its server, for revocation). */
    record BadClient(String name, String reason, Function<TestServer, TestPki.Credentials> credentials) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> badClientsWithEachClientTlsProvider() {
        List<BadClient> clients = List.of(
                new BadClient("no certificate", "no_certificate", s -> null),
                new BadClient(
                        "certificate from a rogue CA", "untrusted", s -> s.pki().rogueUser("alice")),
                new BadClient("expired certificate", "expired", s -> s.pki().expiredUser("alice")),
                new BadClient(
                        "user certificate without clientAuth",
                        "bad_certificate",
                        s -> s.pki().userWithoutClientAuth("alice")),
                new BadClient(
                        "node certificate presented as a user",
                        "bad_certificate",
                        s -> s.pki().node("n1")),
                new BadClient("revoked certificate", "revoked", s -> {
                    s.pki().ca().revoke("bob");
                    s.server().trust().reloadCrl();
                    return s.pki().user("bob");
                }));
        return Stream.of(SslProvider.JDK, SslProvider.OPENSSL)
                .flatMap(provider -> clients.stream().map(client -> Arguments.of(client, provider)));
    }

    @ParameterizedTest(name = "{0} ({1} client) is refused, counted, and alice is still served")
    @MethodSource("badClientsWithEachClientTlsProvider")
    void aBadClientCertificateIsRefusedAndCountedAndTheNextGoodClientIsServed(BadClient bad, SslProvider provider)
            throws Exception {
        server = TestServer.start(tmp);
        TestPki.Credentials credentials = bad.credentials().apply(server);

        WireClient refused = server.connect(credentials, provider);

        refused.expectClosed();
        assertThat(refused.drain()).as("frames sent to the refused client").isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(AdminMetrics.scrape(server.server().adminAddress()))
                                .as("handshake failures by reason")
                                .containsEntry(FAILURES + "{reason=\"" + bad.reason() + "\"}", 1.0));
        assertThat(AdminMetrics.sum(server.server().adminAddress(), FAILURES)).isEqualTo(1.0);
        assertThat(AdminMetrics.value(server.server().adminAddress(), "tlschat_sessions"))
                .isEqualTo(0.0);
        WireClient alice = server.connect(server.pki().user("alice"), provider);
        assertThat(alice.expect(ServerFrame.Welcome.class).user()).isEqualTo("alice");
    }

    /**
     * One of bob's connections resumes the previous one's TLS session (same session creation time
     * on the client). After bob is revoked, a connection offering that session gets no WELCOME: the
     * resumed handshake is checked against the CRL like a full one, and counted as {@code revoked}.
     */
    @ParameterizedTest(name = "a session resumed after revocation is refused ({0} client)")
    @EnumSource(
            value = SslProvider.class,
            names = {"JDK", "OPENSSL"})
    void aSessionResumedAfterItsCertificateWasRevokedIsRefused(SslProvider provider) throws Exception {
        server = TestServer.start(tmp);
        SslContext bob = server.pki().clientTls("bob", provider);
        AtomicLong previous = new AtomicLong(welcomedAndClosed(bob));
        await("a connection resumed the previous one's session")
                .atMost(Duration.ofSeconds(10))
                .until(() -> previous.getAndSet(welcomedAndClosed(bob)) == previous.get());

        server.pki().ca().revoke("bob");
        server.server().trust().reloadCrl();
        WireClient resumed = WireClient.connect(group, server.address(), bob);

        resumed.expectClosed();
        assertThat(resumed.drain()).as("frames sent to the revoked client").isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(AdminMetrics.scrape(server.server().adminAddress()))
                                .containsEntry(FAILURES + "{reason=\"revoked\"}", 1.0));
        assertThat(server.login("alice").channel().isActive()).isTrue();
    }

    /** Logs in with {@code tls}, closes, and returns the creation time of the client's TLS session. */
    private long welcomedAndClosed(SslContext tls) {
        WireClient client = WireClient.connect(group, server.address(), tls);
        try {
            client.expect(ServerFrame.Welcome.class);
            return client.channel()
                    .pipeline()
                    .get(SslHandler.class)
                    .engine()
                    .getSession()
                    .getCreationTime();
        } finally {
            client.close();
        }
    }

    @Test
    void aTls12OnlyClientIsRefusedByTheDefaultTls13Server() throws Exception {
        server = TestServer.start(tmp);

        WireClient old = WireClient.connect(group, server.address(), tls12Client(server.pki()));

        old.expectClosed();
        assertThat(old.drain()).isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(AdminMetrics.sum(server.server().adminAddress(), FAILURES))
                        .isEqualTo(1.0));
        assertThat(server.login("alice").channel().isActive()).isTrue();
    }

    @Test
    void aTls12OnlyClientIsWelcomedByAServerConfiguredForTls12() throws Exception {
        server = TestServer.start(tmp, c -> c.tls(tls -> tls.withMinVersion(TlsVersion.TLS12)));

        WireClient old = WireClient.connect(group, server.address(), tls12Client(server.pki()));

        try {
            assertThat(old.expect(ServerFrame.Welcome.class).user()).isEqualTo("alice");
        } finally {
            old.close();
        }
    }

    private static SslContext tls12Client(TestPki pki) throws Exception {
        return SslContextBuilder.forClient()
                .protocols("TLSv1.2")
                .trustManager(pki.ca().layout().caCert().toFile())
                .keyManager(
                        pki.user("alice").cert().toFile(),
                        pki.user("alice").key().toFile())
                .build();
    }
}
