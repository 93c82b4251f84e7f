package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void allowsOneSecondsBurstThenOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(2);
        assertThat(bucket.acquire(1_000)).isEqualTo(1_000);
        assertThat(bucket.acquire(1_000)).isEqualTo(1_000);
        // empty: the next token comes after 1 / rate
        assertThat(bucket.acquire(1_000)).isEqualTo(1_500);
        assertThat(bucket.acquire(1_500)).isEqualTo(1_500);
        assertThat(bucket.acquire(1_600)).isEqualTo(2_000);
    }

    @Test
    void slowRatesStillAllowOneRequest() {
        TokenBucket bucket = new TokenBucket(0.5);
        assertThat(bucket.acquire(0)).isEqualTo(0);
        assertThat(bucket.acquire(0)).isEqualTo(2_000);
    }
}
