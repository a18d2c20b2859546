package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void formatsUtcWithMilliseconds() {
        assertThat(Timestamps.format(Instant.parse("2026-11-23T10:15:30.123456Z")))
                .isEqualTo("2026-11-23T10:15:30.123Z");
    }

    @Test
    void keepsZeroMilliseconds() {
        assertThat(Timestamps.format(Instant.parse("2026-11-23T10:15:30Z"))).isEqualTo("2026-11-23T10:15:30.000Z");
    }
}
