package io.echolot.sink.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void doublesPerRetryUpToTheCapWithJitterInTheUpperHalf() {
        assertThat(backoff.millis(1, 0.0)).isEqualTo(50L);
        assertThat(backoff.millis(1, 0.9999)).isBetween(99L, 100L);
        assertThat(backoff.millis(2, 0.0)).isEqualTo(100L);
        assertThat(backoff.millis(3, 0.9999)).isBetween(399L, 400L);
        assertThat(backoff.millis(10, 0.9999)).isBetween(1999L, 2000L);
        // a huge retry count neither overflows nor passes the cap
        assertThat(backoff.millis(Integer.MAX_VALUE, 0.0)).isEqualTo(1000L);
        assertThat(backoff.millis(0, 0.0)).isEqualTo(50L);
    }

    @Test
    void onlyThrottlingAndServerErrorsAreWorthRetrying() {
        assertThat(Backoff.isTransient(429)).isTrue();
        assertThat(Backoff.isTransient(500)).isTrue();
        assertThat(Backoff.isTransient(503)).isTrue();
        assertThat(Backoff.isTransient(400)).isFalse();
        assertThat(Backoff.isTransient(404)).isFalse();
        assertThat(Backoff.isTransient(200)).isFalse();
    }

    @Test
    void refusesBackoffsThatCannotWork() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("initial backoff must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("max backoff PT1S is below the initial backoff PT2S");
    }
}
