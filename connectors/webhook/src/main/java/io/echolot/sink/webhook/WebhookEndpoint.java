package io.echolot.sink.webhook;

import java.io.Serializable;
import java.time.Duration;

/**
 * One receiver of alerts and how to talk to it. The URL itself may be a secret (Slack and Teams put
 * their token into it), so it can come from a {@link SecretRef} like the signing secret; logs and
 * dead letters name the endpoint, never its URL.
 *
 * @param name unique, used in logs, metrics and dead letters
 * @param url the literal URL, or null when {@code urlRef} is set
 * @param urlRef where to read the URL, or null when {@code url} is set
 * @param secret the HMAC key for {@code X-Echolot-Signature}; null sends unsigned (Slack/Teams)
 * @param language {@code auto} (the language of the alert's posts, else English), {@code de} or
 *     {@code en}
 * @param maxConcurrency requests in flight to this endpoint at most
 * @param ratePerSecond requests started per second at most
 * @param maxAttempts sends of one alert state before it is dead-lettered ({@link
 *     #UNBOUNDED_ATTEMPTS} by default: {@code maxRetryDuration} limits the retries)
 * @param maxRetryDuration how long after the first send of an alert to this endpoint a failing
 *     state of it is still retried before it is dead-lettered
 * @param maxQueued alerts with a state waiting for this endpoint at most; a state of one more alert
 *     is dead-lettered at once, so a dead endpoint cannot fill the memory or stall the job (states
 *     of an alert already waiting replace its older waiting state instead)
 */
public record WebhookEndpoint(
        String name,
        String url,
        SecretRef urlRef,
        WebhookFormat format,
        AlertFilter filter,
        SecretRef secret,
        String language,
        int maxConcurrency,
        double ratePerSecond,
        Duration timeout,
        int maxAttempts,
        Duration maxRetryDuration,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxQueued)
        implements Serializable {

    public static final int DEFAULT_MAX_CONCURRENCY = 2;
    public static final double DEFAULT_RATE_PER_SECOND = 5;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** No limit on the number of sends: only {@code max_retry_duration} ends the retries. */
    public static final int UNBOUNDED_ATTEMPTS = Integer.MAX_VALUE;

    public static final int DEFAULT_MAX_ATTEMPTS = UNBOUNDED_ATTEMPTS;
    public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_QUEUED = 1000;

    public WebhookEndpoint {
        if ((url == null) == (urlRef == null)) {
            throw new IllegalArgumentException(
                    "endpoint " + name + " needs exactly one of url, url_env, url_file");
        }
        if (maxConcurrency < 1 || ratePerSecond <= 0 || maxAttempts < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("endpoint " + name + ": limits must be positive");
        }
        if (maxRetryDuration.isZero() || maxRetryDuration.isNegative()) {
            throw new IllegalArgumentException(
                    "endpoint " + name + ": max_retry_duration must be positive");
        }
        if (initialBackoff.isZero()
                || initialBackoff.isNegative()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "endpoint " + name + ": backoff must be positive, max >= initial");
        }
    }

    /** An endpoint with the default limits, for tests and simple setups. */
    public static WebhookEndpoint of(
            String name, String url, WebhookFormat format, SecretRef secret) {
        return new WebhookEndpoint(
                name,
                url,
                null,
                format,
                AlertFilter.ANY,
                secret,
                "auto",
                DEFAULT_MAX_CONCURRENCY,
                DEFAULT_RATE_PER_SECOND,
                DEFAULT_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_MAX_RETRY_DURATION,
                DEFAULT_INITIAL_BACKOFF,
                DEFAULT_MAX_BACKOFF,
                DEFAULT_MAX_QUEUED);
    }

    public WebhookEndpoint withFilter(AlertFilter f) {
        return new WebhookEndpoint(
                name,
                url,
                urlRef,
                format,
                f,
                secret,
                language,
                maxConcurrency,
                ratePerSecond,
                timeout,
                maxAttempts,
                maxRetryDuration,
                initialBackoff,
                maxBackoff,
                maxQueued);
    }

    public WebhookEndpoint withRetries(
            int attempts, Duration initial, Duration max, Duration requestTimeout) {
        return new WebhookEndpoint(
                name,
                url,
                urlRef,
                format,
                filter,
                secret,
                language,
                maxConcurrency,
                ratePerSecond,
                requestTimeout,
                attempts,
                maxRetryDuration,
                initial,
                max,
                maxQueued);
    }

    /** This endpoint retrying a failing alert for {@code duration} after its first send. */
    public WebhookEndpoint withMaxRetryDuration(Duration duration) {
        return new WebhookEndpoint(
                name,
                url,
                urlRef,
                format,
                filter,
                secret,
                language,
                maxConcurrency,
                ratePerSecond,
                timeout,
                maxAttempts,
                duration,
                initialBackoff,
                maxBackoff,
                maxQueued);
    }

    public WebhookEndpoint withLimits(int concurrency, double perSecond, int queued) {
        return new WebhookEndpoint(
                name,
                url,
                urlRef,
                format,
                filter,
                secret,
                language,
                concurrency,
                perSecond,
                timeout,
                maxAttempts,
                maxRetryDuration,
                initialBackoff,
                maxBackoff,
                queued);
    }

    @Override
    public String toString() {
        // the URL may carry a token: name where it comes from, not what it is
        return "WebhookEndpoint{name="
                + name
                + ", format="
                + format.wireName()
                + ", url="
                + (url != null ? "(literal)" : urlRef)
                + ", secret="
                + (secret == null ? "none" : secret)
                + ", filter="
                + filter
                + "}";
    }
}
