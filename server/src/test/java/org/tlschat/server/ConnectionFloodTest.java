package org.tlschat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlschat.server.testing.RawSockets.closedWithin;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlschat.protocol.Limits;
import org.tlschat.protocol.Request;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Timeouts;
import org.tlschat.server.testing.TestServer;
import org.tlschat.server.testing.WireClient;

/** A flood of connections that never finish their handshake neither starves a real client nor lingers. */
class ConnectionFloodTest {
    private static final int FLOOD = 200;

    @RegisterExtension
    final TestServer server = TestServer.perTest(
            c -> c.timeouts(new Timeouts(Limits.IDLE_TIMEOUT, Duration.ofSeconds(1), Limits.AUTH_TIMEOUT)));

    final List<Socket> flood = new ArrayList<>();

    @AfterEach
    void closeFlood() throws Exception {
        for (Socket socket : flood) {
            socket.close();
        }
    }

    @Test
    void twoHundredHalfOpenHandshakesDoNotStopAliceAndAreAllDroppedAfterTheHandshakeTimeout() throws Exception {
        for (int i = 0; i < FLOOD; i++) {
            Socket socket =
                    // from another address than alice's: one address's flood is capped (QuotasTest), not hers
                    new Socket(
                            server.address().getAddress(),
                            server.address().getPort(),
                            InetAddress.getByName("127.0.0.2"),
                            0);
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, then nothing
            flood.add(socket);
        }

        WireClient alice = server.login("alice");
        alice.send(new Request.Ping("served"));
        assertThat(alice.expect(ServerFrame.Pong.class).re()).isEqualTo("served");

        for (Socket socket : flood) {
            assertThat(closedWithin(socket, Duration.ofSeconds(5)))
                    .as("the server dropped the stalled handshake")
                    .isTrue();
        }
    }
}
