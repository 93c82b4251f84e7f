package io.echolot.explain;

import java.util.HashMap;
import java.util.Map;

/**
 * The term counts of one brand in one bucket of event time, bounded: the most frequent {@link
 * EmergingTopics#CAPACITY} terms are kept (pruned when twice that, candidates always kept). A Flink
 * POJO.
 */
public class TermBucket {
    /** Bucket start, epoch milliseconds. */
    public long start;

    /** The brand (the operator's key is the brand's scope). */
    public String brand;

    /** The brand's mentions in the bucket (reshares included). */
    public long mentions;

    /** Per term or two-word phrase. */
    public Map<String, TermTally> terms = new HashMap<>();

    /** Terms of {@link #terms} whose posts are kept. */
    public int candidates;

    public TermBucket() {}
}
