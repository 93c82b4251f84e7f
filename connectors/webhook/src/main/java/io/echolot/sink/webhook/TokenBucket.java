package io.echolot.sink.webhook;

/**
 * A token bucket: {@code ratePerSecond} tokens per second, bursts up to one second's worth (at
 * least one). Not thread-safe; times in milliseconds from any monotonic clock.
 */
final class TokenBucket {

    private final double ratePerMs;
    private final double capacity;
    private double tokens;
    private long last = Long.MIN_VALUE;

    TokenBucket(double ratePerSecond) {
        this.ratePerMs = ratePerSecond / 1000.0;
        this.capacity = Math.max(1.0, ratePerSecond);
        this.tokens = capacity;
    }

    /**
     * Takes a token if one is there and returns {@code now}; otherwise takes nothing and returns
     * the time at which the next token will be there.
     */
    long acquire(long now) {
        if (last != Long.MIN_VALUE && now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * ratePerMs);
        }
        last = Math.max(last, now);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return now;
        }
        return now + (long) Math.ceil((1.0 - tokens) / ratePerMs);
    }
}
