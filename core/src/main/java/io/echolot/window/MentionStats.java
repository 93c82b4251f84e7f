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
 * <p>Unique authors are counted exactly; the set holds one entry per author of the window, which
 * for minute-to-hour windows of one brand stays small.
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
    public Set<String> authors = new HashSet<>();

    /** The most engaging mentions so far, best first, at most the configured number. */
    public List<TopMention> top = new ArrayList<>();

    public MentionStats() {}
}
