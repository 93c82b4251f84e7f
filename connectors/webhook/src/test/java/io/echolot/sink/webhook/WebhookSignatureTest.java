package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "whsec-test-0123456789";
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTimestampDotBodyLikeOpenssl() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789'
        assertThat(WebhookSignature.sign(SECRET, 1_700_000_000L, BODY))
                .isEqualTo("v1=ba8ec7f38c4e076a99176a1bf98ae9f2f3f4e18412b46a5913ddcf5685932c6a");
    }

    @Test
    void acceptsItsOwnSignatureWithinTheTolerance() {
        Instant now = Instant.ofEpochSecond(1_700_000_100L);
        String sig = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        assertThat(
                        WebhookSignature.verify(
                                SECRET, sig, "1700000000", BODY, now, Duration.ofMinutes(5)))
                .isEqualTo(WebhookSignature.Verdict.OK);
    }

    @Test
    void rejectsAChangedBodyTimestampOrSecret() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        String sig = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        Duration tol = Duration.ofMinutes(5);
        byte[] changed = "{\"a\":2}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(SECRET, sig, "1700000000", changed, now, tol))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(WebhookSignature.verify(SECRET, sig, "1700000001", BODY, now, tol))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(
                        WebhookSignature.verify(
                                "another-secret-000000", sig, "1700000000", BODY, now, tol))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(WebhookSignature.verify(SECRET, "v1=zz", "1700000000", BODY, now, tol))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(WebhookSignature.verify(SECRET, null, "1700000000", BODY, now, tol))
                .isEqualTo(WebhookSignature.Verdict.MISSING);
    }

    @Test
    void rejectsAReplayAfterTheTolerance() {
        String sig = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        Instant later = Instant.ofEpochSecond(1_700_000_000L + 301);
        assertThat(
                        WebhookSignature.verify(
                                SECRET, sig, "1700000000", BODY, later, Duration.ofMinutes(5)))
                .isEqualTo(WebhookSignature.Verdict.STALE_TIMESTAMP);
    }
}
