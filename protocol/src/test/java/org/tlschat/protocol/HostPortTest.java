package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesTheFormsPeopleType() {
        assertThat(HostPort.parse("127.0.0.1:7000", 7443)).isEqualTo(new InetSocketAddress("127.0.0.1", 7000));
        assertThat(HostPort.parse("localhost", 7443)).isEqualTo(new InetSocketAddress("localhost", 7443));
        assertThat(HostPort.parse(":9090", 7443)).isEqualTo(new InetSocketAddress("0.0.0.0", 9090));
        assertThat(HostPort.parse("[::1]:7443", 1)).isEqualTo(new InetSocketAddress("::1", 7443));
        assertThat(HostPort.parse("[::1]", 7443)).isEqualTo(new InetSocketAddress("::1", 7443));
        assertThat(HostPort.parseList("127.0.0.1:1, 127.0.0.1:2", 7443))
                .containsExactly(new InetSocketAddress("127.0.0.1", 1), new InetSocketAddress("127.0.0.1", 2));
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        assertThatThrownBy(() -> HostPort.parse("host:http", 7443)).hasMessageContaining("no valid port");
        assertThatThrownBy(() -> HostPort.parse("host:70000", 7443)).hasMessageContaining("no valid port");
        assertThatThrownBy(() -> HostPort.parseList(" , ", 7443)).hasMessageContaining("no address");
    }
}
