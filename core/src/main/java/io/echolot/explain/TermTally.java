package io.echolot.explain;

import io.echolot.alert.ReachPost;
import java.util.ArrayList;
import java.util.List;

/**
 * One term's or phrase's count in a bucket of {@link EmergingTopics}, with the first few distinct
 * authors (one account repeating a word is no story) and, once the term looks unusual, the posts
 * with it that reached most accounts. A Flink POJO.
 */
public class TermTally {
    public long count;

    /** Hashes of up to {@link EmergingTopics#MIN_AUTHORS} distinct authors. */
    public List<Integer> authors = new ArrayList<>();

    /** Whether the posts are kept: the term rose above its expectation while being counted. */
    public boolean candidate;

    /** Highest reach first, at most {@link EmergingTopics#TOP_POSTS}. */
    public List<ReachPost> posts = new ArrayList<>();

    public TermTally() {}
}
