package io.echolot.sink.base;

import java.io.Serializable;
import java.time.Duration;

/**
 * How long a sink waits before sending again, shared by the Elasticsearch and webhook sinks:
 * exponential from an initial backoff, capped, with "equal jitter" so parallel writers that failed
 * together do not come back together. Pure, so the rules are unit-tested without a server.
 */
public final class Backoff implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long initialMs;
    private final long maxMs;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "max backoff " + max + " is below the initial backoff " + initial);
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
    }

    public Duration max() {
        return Duration.ofMillis(maxMs);
    }

    /** Whether an HTTP status means "try again later" rather than "this will never work". */
    public static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * The wait before retry number {@code retry} (1-based): the initial backoff doubled per earlier
     * retry, capped at the max; {@code random} in [0, 1) picks a point in the upper half.
     */
    public long millis(int retry, double random) {
        int doublings = Math.max(0, Math.min(retry - 1, 30));
        long base = Math.min(maxMs, initialMs << doublings);
        return base / 2 + (long) (base / 2.0 * random);
    }

    @Override
    public String toString() {
        return "Backoff{initial=" + initialMs + "ms, max=" + maxMs + "ms}";
    }
}
