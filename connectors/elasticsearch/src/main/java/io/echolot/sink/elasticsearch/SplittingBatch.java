package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One batch of the writer on its way to Elasticsearch, as the parts it is sent in. It starts as a
 * single part; when Elasticsearch refuses a part as a whole for what it carries (e.g. 400 or 413),
 * the part is {@link #split} in halves that are sent one after the other, until the documents that
 * are refused on their own are isolated. Parts go out one at a time, depth first, so a batch never
 * has more than one request in flight, and a batch with one bad document among n costs about
 * 2·log2(n) extra requests.
 *
 * <p>Collects what the parts leave to retry later, and the longest backoff any part asked for. Used
 * on the task thread only.
 */
final class SplittingBatch {

    private final Deque<List<DocumentRequest>> parts = new ArrayDeque<>();
    private final List<DocumentRequest> retries = new ArrayList<>();
    private long retryDelayMs;

    SplittingBatch(List<DocumentRequest> entries) {
        if (!entries.isEmpty()) {
            parts.add(entries);
        }
    }

    /** The next part to send, or {@code null} when every part has been answered. */
    List<DocumentRequest> nextPart() {
        return parts.pollFirst();
    }

    /**
     * Queues the halves of a refused part to be sent next, first half first.
     *
     * @return {@code false} for a single document, which cannot be split: the caller dead-letters
     *     it
     */
    boolean split(List<DocumentRequest> part) {
        if (part.size() < 2) {
            return false;
        }
        int half = part.size() / 2;
        parts.addFirst(new ArrayList<>(part.subList(half, part.size())));
        parts.addFirst(new ArrayList<>(part.subList(0, half)));
        return true;
    }

    /** Documents of a part to send again once the batch is done, after at least {@code delayMs}. */
    void retryLater(List<DocumentRequest> entries, long delayMs) {
        retries.addAll(entries);
        retryDelayMs = Math.max(retryDelayMs, delayMs);
    }

    List<DocumentRequest> retries() {
        return retries;
    }

    long retryDelayMs() {
        return retryDelayMs;
    }
}
