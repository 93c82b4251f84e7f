package io.echolot.alert;

import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a detector saw, as one value: the window (or incident) it covers, the observation against
 * its expectation, the detector's score and the posts, platforms and growth behind it. Detector
 * signals carry it into alerts ({@link AlertSignal#evidence()}, {@link
 * Alert.Builder#evidence(Evidence)}), so the evidence is copied as a whole, never field by field.
 *
 * <p>It is the API of {@link Alert}, {@link AlertSignal} and {@code detect.SpikeAlert}, not one of
 * their components: those records are kept in Flink state, whose serializers record their fields,
 * so they keep their flat fields for savepoints of earlier versions to restore.
 *
 * @param score the detector's confidence in [0, 1]
 * @param topMentions the most engaging mentions, best first (never null)
 * @param platforms mentions per platform (never null)
 * @param velocity growth of the count between windows (mentions per window); null when the detector
 *     does not measure it
 * @param reshareShare share of the mentions that reshare another post; null when not measured
 * @param drivers what makes up the excess (see {@link AlertDrivers}); null when not explained
 */
public record Evidence(
        Instant windowStart,
        Instant windowEnd,
        double observed,
        double expected,
        double score,
        List<TopMention> topMentions,
        Map<String, Long> platforms,
        Long velocity,
        Double reshareShare,
        AlertDrivers drivers) {

    /** Evidence of a window without posts, platforms, growth or drivers (add them with with…). */
    public static Evidence of(
            Instant windowStart,
            Instant windowEnd,
            double observed,
            double expected,
            double score) {
        return new Evidence(
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                List.of(),
                Map.of(),
                null,
                null,
                null);
    }

    /** The same evidence with these posts and platforms. */
    public Evidence withMentions(List<TopMention> topMentions, Map<String, Long> platforms) {
        return new Evidence(
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                drivers);
    }

    /** The same evidence with this growth (null: not measured). */
    public Evidence withGrowth(Long velocity, Double reshareShare) {
        return new Evidence(
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                drivers);
    }

    /** The same evidence explained by {@code d} (null: not explained). */
    public Evidence withDrivers(AlertDrivers d) {
        return new Evidence(
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                d);
    }
}
