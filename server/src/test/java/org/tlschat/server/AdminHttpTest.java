package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.testing.AdminMetrics;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** The admin HTTP listener over real HTTP: health, readiness, Prometheus metrics, and nothing else. */
class AdminHttpTest {
    @RegisterExtension
    final TestServer server = TestServer.perTest();

    InetSocketAddress admin;

    @BeforeEach
    void readAdminAddress() {
        admin = server.server().adminAddress();
    }

    @Test
    void healthzAndReadyzAnswer200() {
        HttpResponse<String> health = AdminMetrics.get(admin, "/healthz");
        HttpResponse<String> ready = AdminMetrics.get(admin, "/readyz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
    }

    @Test
    void metricsAreInThePrometheusTextFormatWithTypeAndHelpLines() {
        HttpResponse<String> response = AdminMetrics.get(admin, "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(response.body().lines())
                .contains("# TYPE tlschat_sessions gauge", "# TYPE tlschat_messages_in_total counter")
                .anyMatch(line -> line.startsWith("# HELP tlschat_sessions "))
                .allMatch(line -> line.startsWith("#") || line.matches("[a-z_]+(\\{.*})? [-+0-9.eE]+|.* NaN"));
        assertThat(AdminMetrics.parse(response.body()))
                .containsEntry("tlschat_sessions", 0.0)
                .containsEntry(
                        "tlschat_tls_provider{provider=\""
                                + TlsContexts.provider().name() + "\"}",
                        1.0);
    }

    @Test
    void metricsCountSessionsMessagesAndErrorsByCode() throws Exception {
        WireClient alice = server.login("alice");
        WireClient bob = server.login("bob");
        alice.send(new Request.Send("1", "bob", "hello"));
        alice.expect(ServerFrame.Ok.class);
        bob.expect(ServerFrame.Msg.class);
        bob.close();
        alice.send(new Request.Send("2", "mallory", "?"));
        alice.expectErr(ErrorCode.NO_SUCH_USER);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Double> metrics = AdminMetrics.scrape(admin);
            assertThat(metrics)
                    .containsEntry("tlschat_sessions", 1.0)
                    .containsEntry("tlschat_messages_in_total", 1.0)
                    .containsEntry("tlschat_messages_out_total", 1.0)
                    .containsEntry("tlschat_errors_total{code=\"NO_SUCH_USER\"}", 1.0)
                    .containsEntry("tlschat_connections", 1.0);
        });
    }

    @Test
    void aRefusedHandshakeIsCountedByReason() throws Exception {
        WireClient noCertificate = server.connect((TestPki.Credentials) null);
        noCertificate.expectClosed();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(AdminMetrics.scrape(admin))
                        .containsEntry("tlschat_tls_handshake_failures_total{reason=\"no_certificate\"}", 1.0)
                        .containsEntry("tlschat_connections_closed_total{reason=\"tls_handshake_failed\"}", 1.0));
    }

    @Test
    void anUnknownPathIs404() {
        HttpResponse<String> response = AdminMetrics.get(admin, "/admin");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void postIs405() {
        HttpResponse<String> response = AdminMetrics.send(HttpRequest.newBuilder(AdminMetrics.uri(admin, "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void theAdminListenerIsOnLoopbackOnly() {
        assertThat(admin.getAddress().isLoopbackAddress()).isTrue();
        assertThat(ServerConfig.Listeners.DEFAULT.admin().getAddress().isLoopbackAddress())
                .as("by default")
                .isTrue();
    }
}
