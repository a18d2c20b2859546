package org.tlschat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void defaultScheduleDoublesFrom200MillisAndStaysAt5Seconds() {
        assertThat(IntStream.range(0, 8).mapToObj(Backoff.DEFAULT::nominal).map(Duration::toMillis))
                .containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
        assertThat(Backoff.DEFAULT.nominal(1_000_000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void everyDelayIsWithinFiftyPercentOfItsNominalAndTheJitterSpreadsThem() {
        for (int attempt = 0; attempt < 10; attempt++) {
            long nominal = Backoff.DEFAULT.nominal(attempt).toNanos();
            Set<Long> seen = new HashSet<>();
            boolean below = false;
            boolean above = false;
            for (int i = 0; i < 500; i++) {
                long delay = Backoff.DEFAULT.delay(attempt).toNanos();
                assertThat(delay).as("attempt %d", attempt).isBetween(nominal / 2, nominal * 3 / 2);
                seen.add(delay);
                below |= delay < nominal * 0.8;
                above |= delay > nominal * 1.2;
            }
            assertThat(seen).as("distinct delays of attempt %d", attempt).hasSizeGreaterThan(400);
            assertThat(below && above)
                    .as("delays of attempt %d spread both ways", attempt)
                    .isTrue();
        }
    }

    @Test
    void noJitterGivesTheNominalDelay() {
        Backoff exact = new Backoff(Duration.ofMillis(10), Duration.ofMillis(35), 0);
        assertThat(IntStream.range(0, 4).mapToObj(exact::delay).map(Duration::toMillis))
                .containsExactly(10L, 20L, 35L, 35L);
    }

    @Test
    void nonsenseSchedulesAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
