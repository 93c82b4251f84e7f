package io.echolot.explain;

import java.util.HashMap;
import java.util.Map;

/**
 * The term counts of one brand in one bucket of event time, bounded: once the bucket is busy a term
 * is tallied from its second time on, and the {@link EmergingTopics#CAPACITY} tallies most above
 * their expectation are kept (pruned when twice that, candidates always kept). A Flink POJO.
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

    static final int SEEN_DEPTH = 2;
    static final int SEEN_WIDTH = 1024;

    /**
     * Count-min sketch of the terms not (yet) in {@link #terms}: admits them from their second
     * time.
     */
    public int[] seen = new int[SEEN_DEPTH * SEEN_WIDTH];

    /** Whether {@link #terms} was pruned: from then on a term is tallied from its second time. */
    public boolean pruned;

    /** Terms of {@link #terms} whose posts are kept. */
    public int candidates;

    public TermBucket() {}
}
