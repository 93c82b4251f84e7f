package io.echolot.detect;

import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How surprising one window's count is for its (brand, topic), given the key's baseline.
 *
 * @param observed mentions in the window
 * @param expected expected mentions (seasonal baseline)
 * @param dispersion NB2 over-dispersion φ of the count (0 = Poisson)
 * @param tailProbability P(count ≥ observed) under the baseline; 1 while not warm
 * @param keyTailProbability the tail probability calibrated against the key's own history of
 *     surprises: about the share of the key's windows that are at least this surprising; 1 while
 *     not warm
 * @param surprise 1 − keyTailProbability, in [0, 1); 0 while not warm
 * @param velocity observed minus the previous window's count (0 counts for missing windows)
 * @param warm whether the key has enough history to be judged
 * @param reshares mentions of the window that reshare another post
 * @param platforms mentions per platform in the window
 * @param topMentions the window's most engaging mentions (evidence for an alert)
 * @param sumMillis length of the coarse block ({@link BaselineModel#SUM_BLOCKS}) whose running sum,
 *     up to and including this window, is the most surprising; the window's own length when there
 *     is none
 * @param sumObserved mentions in that block so far
 * @param sumExpected mentions expected in that block so far
 * @param sumTailProbability P(sum ≥ sumObserved) under the baseline; 1 while not warm
 */
public record SpikeScore(
        String brand,
        String topic,
        Instant windowStart,
        Instant windowEnd,
        long observed,
        double expected,
        double dispersion,
        double tailProbability,
        double keyTailProbability,
        double surprise,
        long velocity,
        boolean warm,
        long reshares,
        Map<String, Long> platforms,
        List<TopMention> topMentions,
        long sumMillis,
        long sumObserved,
        double sumExpected,
        double sumTailProbability) {

    /** A score without coarse sums: the window is its own sum. */
    public SpikeScore(
            String brand,
            String topic,
            Instant windowStart,
            Instant windowEnd,
            long observed,
            double expected,
            double dispersion,
            double tailProbability,
            double keyTailProbability,
            double surprise,
            long velocity,
            boolean warm,
            long reshares,
            Map<String, Long> platforms,
            List<TopMention> topMentions) {
        this(
                brand,
                topic,
                windowStart,
                windowEnd,
                observed,
                expected,
                dispersion,
                tailProbability,
                keyTailProbability,
                surprise,
                velocity,
                warm,
                reshares,
                platforms,
                topMentions,
                windowEnd.toEpochMilli() - windowStart.toEpochMilli(),
                observed,
                expected,
                tailProbability);
    }

    /** The largest surprise below 1. */
    public static final double MAX_SURPRISE = Math.nextDown(1.0);

    /** The (brand, topic) key, the same as the window operator's. */
    public String key() {
        return SpikeKeys.key(brand, topic);
    }

    /** The window's length in milliseconds. */
    public long windowMillis() {
        return windowEnd.toEpochMilli() - windowStart.toEpochMilli();
    }

    /** observed / expected. */
    public double ratio() {
        return observed / Math.max(expected, 1e-9);
    }

    /** sumObserved / sumExpected. */
    public double sumRatio() {
        return sumObserved / Math.max(sumExpected, 1e-9);
    }

    /** The surprise of a tail probability. */
    public static double surpriseOf(double tailProbability) {
        return Math.min(MAX_SURPRISE, Math.max(0.0, 1.0 - tailProbability));
    }
}
