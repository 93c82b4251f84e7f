package io.echolot.explain;

import io.echolot.alert.ReachPost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The features of one window of one (brand, topic), bounded: the counts keep the most frequent
 * {@link Features#CAPACITY} entries (pruned when twice that), the author sample and the top posts
 * have fixed sizes. A Flink POJO.
 */
public class WindowEvidence {
    /** Window start, epoch milliseconds. */
    public long start;

    public long mentions;
    public long negative;

    /** Mentions per feature key ({@link Features}), each feature counted once per mention. */
    public Map<String, Long> features = new HashMap<>();

    /** The same for the negative mentions only. */
    public Map<String, Long> negativeFeatures = new HashMap<>();

    /** Posts of low-follower accounts per shared URL or text fingerprint (not reshares). */
    public Map<String, Long> groups = new HashMap<>();

    /** Hashes of the first {@link Features#AUTHOR_SAMPLE} distinct authors. */
    public Set<Long> authors = new HashSet<>();

    /** Highest reach first. */
    public List<ReachPost> topReach = new ArrayList<>();

    public WindowEvidence() {}
}
