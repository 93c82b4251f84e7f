package io.echolot.sink.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.elasticsearch.client.ResponseException;

/**
 * Decides what happens to a failed bulk item or a failed bulk request, and how long to wait before
 * sending again. Pure functions, so the rules are unit-tested without a server.
 *
 * <p>Items: 429 and 5xx are transient (retried up to {@code maxRetries} times, then dead-lettered);
 * any other error status is permanent (dead-lettered at once, never retried). Whole requests:
 *
 * <ul>
 *   <li>no answer (refused connection, timeout, reset), 408, 429 and 5xx are retried without limit:
 *       nothing is dropped while Elasticsearch is away or overloaded;
 *   <li>400, 413 and 422 refuse what was sent (an id too long, a malformed upsert, a bulk over
 *       {@code http.max_content_length}): the batch is split and sent again until the one document
 *       refused on its own is dead-lettered, so one bad document never fails the job;
 *   <li>401, 403 and every other status (404 wrong path, 405/406 wrong server or proxy) need a
 *       person to fix the setup: they fail the job with a message that says what to check.
 * </ul>
 */
public final class RetryPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String CREDENTIALS_REJECTED =
            "Elasticsearch rejected the credentials (401) — check --es-username /"
                    + " ECHOLOT_ES_PASSWORD / API key";
    static final String ACCESS_DENIED =
            "Elasticsearch denied access (403) — the user or API key lacks privileges to write"
                    + " these indices or install index templates";

    /** The outcome for one bulk item that came back with an error. */
    public enum ItemDecision {
        RETRY,
        DEAD_LETTER_PERMANENT,
        DEAD_LETTER_RETRIES_EXHAUSTED
    }

    /** The outcome for a bulk request that failed as a whole. */
    public enum RequestDecision {
        /** Send the same documents again after a backoff. */
        RETRY,
        /** Something in the documents was refused: send each half on its own. */
        SPLIT,
        /** A setup problem: fail the job. */
        FAIL
    }

    /** A classified request failure: the decision, the HTTP status if any, and a message. */
    public record RequestFailure(RequestDecision decision, int status, String message) {}

    private final int maxRetries;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0, got " + maxRetries);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "max backoff "
                            + maxBackoff
                            + " is below the initial backoff "
                            + initialBackoff);
        }
        this.maxRetries = maxRetries;
        this.initialBackoffMs = initialBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration maxBackoff() {
        return Duration.ofMillis(maxBackoffMs);
    }

    /** Whether the status means "try again later" rather than "this will never work". */
    public static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * Decides for one item whose bulk response carried an error.
     *
     * @param status the item's HTTP status
     * @param attempt how many retries the item already had (0 on the first send)
     */
    public ItemDecision classifyItem(int status, int attempt) {
        if (!isTransient(status)) {
            return ItemDecision.DEAD_LETTER_PERMANENT;
        }
        return attempt < maxRetries
                ? ItemDecision.RETRY
                : ItemDecision.DEAD_LETTER_RETRIES_EXHAUSTED;
    }

    /**
     * The wait before retry number {@code retry} (1-based): exponential from the initial backoff,
     * capped at the max backoff, with "equal jitter" ({@code random} in [0, 1) picks a point in the
     * upper half) so parallel writers that failed together do not come back together.
     */
    public long backoffMillis(int retry, double random) {
        int doublings = Math.max(0, Math.min(retry - 1, 30));
        long base = Math.min(maxBackoffMs, initialBackoffMs << doublings);
        return base / 2 + (long) (base / 2.0 * random);
    }

    /** Classifies an exception that failed a whole bulk request. */
    public static RequestFailure classifyRequestFailure(Throwable error) {
        Throwable cause = unwrap(error);
        int status = statusOf(cause);
        if (status == 401) {
            return new RequestFailure(RequestDecision.FAIL, status, CREDENTIALS_REJECTED);
        }
        if (status == 403) {
            return new RequestFailure(
                    RequestDecision.FAIL, status, ACCESS_DENIED + ": " + describe(cause));
        }
        if (isRefusedContent(status)) {
            return new RequestFailure(
                    RequestDecision.SPLIT,
                    status,
                    "Elasticsearch refused the bulk request with status "
                            + status
                            + ": "
                            + describe(cause));
        }
        if (status > 0) {
            return isTransient(status) || status == 408
                    ? new RequestFailure(RequestDecision.RETRY, status, describe(cause))
                    : new RequestFailure(
                            RequestDecision.FAIL,
                            status,
                            "Elasticsearch rejected the bulk request with status "
                                    + status
                                    + ": "
                                    + describe(cause));
        }
        // no HTTP answer at all: refused connection, timeout, reset. Elasticsearch may come back.
        if (cause instanceof IOException) {
            return new RequestFailure(RequestDecision.RETRY, 0, describe(cause));
        }
        return new RequestFailure(
                RequestDecision.FAIL,
                0,
                "unexpected failure of an Elasticsearch bulk request: " + describe(cause));
    }

    /** Request statuses caused by what was sent rather than by the setup. */
    static boolean isRefusedContent(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The HTTP status carried by the client's exceptions, or 0 when there was no response. */
    static int statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException) {
                return ((ElasticsearchException) t).status();
            }
            if (t instanceof TransportException && ((TransportException) t).statusCode() > 0) {
                return ((TransportException) t).statusCode();
            }
            if (t instanceof ResponseException) {
                return ((ResponseException) t).getResponse().getStatusLine().getStatusCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return 0;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries="
                + maxRetries
                + ", backoff="
                + initialBackoffMs
                + ".."
                + maxBackoffMs
                + "ms}";
    }
}
