package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesTheFormsPeopleType() {
        assertThat(HostPort.parse("127.0.0.1:7000")).isEqualTo(new HostPort("127.0.0.1", 7000));
        assertThat(HostPort.parse(" chat.example ")).isEqualTo(new HostPort("chat.example", 7443));
        assertThat(HostPort.parse("0.0.0.0", 9090)).isEqualTo(new HostPort("0.0.0.0", 9090));
        assertThat(HostPort.parse("[::1]:7443")).isEqualTo(new HostPort("::1", 7443));
        assertThat(HostPort.parse("[::1]")).isEqualTo(new HostPort("::1", 7443));
        assertThat(HostPort.parse("127.0.0.1:0").port())
                .as("any free port, for listeners")
                .isZero();
        assertThat(HostPort.parseList("a:1, b:2,")).containsExactly(new HostPort("a", 1), new HostPort("b", 2));
        assertThat(new HostPort("::1", 7443)).hasToString("[::1]:7443");
    }

    @Test
    void refusesWhatIsNotAnAddressWithAReasonAPersonCanAct() {
        assertThatThrownBy(() -> HostPort.parse("host:http"))
                .hasMessage("'host:http' has no valid port (expected HOST:PORT)");
        assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessageContaining("out of range 0-65535");
        assertThatThrownBy(() -> HostPort.parse("::1:7443")).hasMessageContaining("[ADDR]:PORT");
        assertThatThrownBy(() -> HostPort.parse(":7443")).hasMessageContaining("no host");
        assertThatThrownBy(() -> HostPort.parse("[::1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> HostPort.parseList(" , ")).hasMessageContaining("no server address");
    }
}
