package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentRequest;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The documents a writer holds for a retry, each with the time Elasticsearch first turned it away,
 * so that a blocked or overloaded cluster stays visible (how many wait, and for how long) while the
 * writer retries without limit. Requests are tracked by identity: a retried request travels back
 * through Flink's buffer as the same object. Mutated on the task thread only; {@link #size()} and
 * {@link #oldestSinceMs()} are safe to read from a metrics reporter thread.
 */
final class PendingRetries {

    private final Map<DocumentRequest, Long> since = new IdentityHashMap<>();
    private final TreeMap<Long, Integer> countBySince = new TreeMap<>();
    private volatile int size;
    private volatile long oldestSinceMs;

    /**
     * Settles {@code request}: it was written, dead-lettered or is about to be sent again.
     *
     * @return when it was first turned away, or 0 if it was not waiting for a retry
     */
    long remove(DocumentRequest request) {
        Long first = since.remove(request);
        if (first == null) {
            return 0;
        }
        countBySince.computeIfPresent(first, (t, n) -> n == 1 ? null : n - 1);
        publish();
        return first;
    }

    /** {@code retry} waits for a retry; {@code firstMs} is when its first attempt was refused. */
    void add(DocumentRequest retry, long firstMs) {
        since.put(retry, firstMs);
        countBySince.merge(firstMs, 1, Integer::sum);
        publish();
    }

    int size() {
        return size;
    }

    /** When the longest-waiting document was first turned away; 0 when none waits. */
    long oldestSinceMs() {
        return oldestSinceMs;
    }

    /** How long the longest-waiting document has waited at {@code nowMs}; 0 when none waits. */
    long oldestAgeMs(long nowMs) {
        long oldest = oldestSinceMs;
        return oldest == 0 ? 0 : Math.max(0, nowMs - oldest);
    }

    private void publish() {
        size = since.size();
        oldestSinceMs = countBySince.isEmpty() ? 0 : countBySince.firstKey();
    }
}
