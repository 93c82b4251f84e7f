package io.echolot.sink.webhook;

import io.echolot.sink.base.Backoff;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What happens after one send of a webhook: done, retry later, or dead letter. Pure functions, so
 * the rules are unit-tested without a server.
 *
 * <p>2xx is delivered. Timeouts, connection errors, 408, 425, 429 and 5xx are transient: retried
 * with the endpoint's exponential backoff and jitter ({@link Backoff#millis}), honouring {@code
 * Retry-After} on 429 and 503, until the endpoint's {@code max_retry_duration} has passed (or its
 * {@code max_attempts}, when set, are used up). Every other status (other 4xx, and redirects, which
 * are not followed) is permanent.
 */
final class DeliveryPolicy {

    /** A {@code Retry-After} longer than this is cut to it, so one answer cannot park an alert. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    enum Decision {
        DELIVERED,
        RETRY,
        PERMANENT
    }

    private DeliveryPolicy() {}

    static Decision classify(int status) {
        if (status >= 200 && status < 300) {
            return Decision.DELIVERED;
        }
        // 408 (request timeout) and 425 (too early) ask for the same request again later
        return status == 408 || status == 425 || Backoff.isTransient(status)
                ? Decision.RETRY
                : Decision.PERMANENT;
    }

    /** A send that ended without an HTTP answer. */
    static Decision classify(Throwable error) {
        Throwable t = unwrap(error);
        // HttpTimeoutException and ConnectException are IOExceptions: the endpoint may come back
        return t instanceof IOException || t instanceof HttpTimeoutException
                ? Decision.RETRY
                : Decision.PERMANENT;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The wait a {@code Retry-After} header asks for (delay-seconds or an HTTP date), capped at
     * {@link #MAX_RETRY_AFTER}; zero when absent or unreadable.
     */
    static long retryAfterMillis(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String v = header.strip();
        long millis;
        try {
            millis = Math.multiplyExact(Long.parseLong(v), 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            try {
                Instant at =
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                millis = at.toEpochMilli() - now.toEpochMilli();
            } catch (DateTimeParseException x) {
                return 0;
            }
        }
        return Math.max(0, Math.min(millis, MAX_RETRY_AFTER.toMillis()));
    }

    static String describe(Throwable error) {
        Throwable t = unwrap(error);
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
