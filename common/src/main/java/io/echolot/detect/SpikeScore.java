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
        List<TopMention> topMentions) {

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

    /** The surprise of a tail probability. */
    public static double surpriseOf(double tailProbability) {
        return Math.min(MAX_SURPRISE, Math.max(0.0, 1.0 - tailProbability));
    }
}
