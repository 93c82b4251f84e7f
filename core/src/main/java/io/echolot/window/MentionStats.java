package io.echolot.window;

import io.echolot.model.TopMention;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The running statistics of one window (the accumulator of {@link MentionStatistics}). A Flink
 * POJO: public fields, no-arg constructor, so it is serialized without Kryo.
 *
 * <p>Unique authors are counted by {@link UniqueAuthors}: exactly up to its limit, then by a
 * sketch, so the accumulator stays bounded (at most 32 KB of hashes, then 4 KB of sketch) however
 * busy the window.
 */
public class MentionStats {
    public long mentions;

    /** Mentions that reshare another post ({@code reshare_of} set). */
    public long reshares;

    public long reach;
    public long likes;
    public long shares;
    public long comments;
    public long views;
    public long scored;
    public double sentimentSum;
    public long positive;
    public long neutral;
    public long negative;
    public Map<String, Long> platforms = new HashMap<>();
    public Map<String, Long> languages = new HashMap<>();

    /**
     * Authors as ids: only in windows restored from state written before {@link #authorHashes}
     * (empty otherwise; {@link UniqueAuthors} moves them into the hashes).
     */
    public Set<String> authors = new HashSet<>();

    /** Sorted 64-bit hashes of the window's authors, while they are few enough to count exactly. */
    public long[] authorHashes = new long[0];

    /** Past that: an updatable HyperLogLog sketch of the authors (null before). */
    public byte[] authorSketch;

    /** The most engaging mentions so far, best first, at most the configured number. */
    public List<TopMention> top = new ArrayList<>();

    public MentionStats() {}
}
