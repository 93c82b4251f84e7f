package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    @Test
    void twoHundredsAreDeliveredTransientStatusesRetriedOtherStatusesPermanent() {
        assertThat(DeliveryPolicy.classify(200)).isEqualTo(DeliveryPolicy.Decision.DELIVERED);
        assertThat(DeliveryPolicy.classify(204)).isEqualTo(DeliveryPolicy.Decision.DELIVERED);
        assertThat(DeliveryPolicy.classify(429)).isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(500)).isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(503)).isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(408)).isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(425)).isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(403)).isEqualTo(DeliveryPolicy.Decision.PERMANENT);
        assertThat(DeliveryPolicy.classify(422)).isEqualTo(DeliveryPolicy.Decision.PERMANENT);
        assertThat(DeliveryPolicy.classify(400)).isEqualTo(DeliveryPolicy.Decision.PERMANENT);
        assertThat(DeliveryPolicy.classify(401)).isEqualTo(DeliveryPolicy.Decision.PERMANENT);
        assertThat(DeliveryPolicy.classify(404)).isEqualTo(DeliveryPolicy.Decision.PERMANENT);
        assertThat(DeliveryPolicy.classify(301)).isEqualTo(DeliveryPolicy.Decision.PERMANENT);
    }

    @Test
    void timeoutsAndConnectionErrorsAreRetried() {
        assertThat(DeliveryPolicy.classify(new CompletionException(new HttpTimeoutException("t"))))
                .isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(
                        DeliveryPolicy.classify(
                                new CompletionException(new ConnectException("refused"))))
                .isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(new IOException("reset")))
                .isEqualTo(DeliveryPolicy.Decision.RETRY);
        assertThat(DeliveryPolicy.classify(new IllegalArgumentException("bad header")))
                .isEqualTo(DeliveryPolicy.Decision.PERMANENT);
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDateAndCapsIt() {
        Instant now = Instant.parse("2026-03-02T09:00:00Z");
        assertThat(DeliveryPolicy.retryAfterMillis("3", now)).isEqualTo(3_000);
        assertThat(DeliveryPolicy.retryAfterMillis("Mon, 02 Mar 2026 09:00:10 GMT", now))
                .isEqualTo(10_000);
        assertThat(DeliveryPolicy.retryAfterMillis("Mon, 02 Mar 2026 08:00:00 GMT", now)).isZero();
        assertThat(DeliveryPolicy.retryAfterMillis("86400", now))
                .isEqualTo(DeliveryPolicy.MAX_RETRY_AFTER.toMillis());
        assertThat(DeliveryPolicy.retryAfterMillis(null, now)).isZero();
        assertThat(DeliveryPolicy.retryAfterMillis("soon", now)).isZero();
    }
}
