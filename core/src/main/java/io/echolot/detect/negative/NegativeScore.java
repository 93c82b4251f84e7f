package io.echolot.detect.negative;

import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How unusual the negative mentions of one window are for one (brand, topic): {@code negatives} of
 * {@code scored} mentions against the key's own baseline share, as a binomial z-score and a lift
 * (observed share / expected share). {@code history} is how many windows the baseline rested on
 * before this one (capped), so detectors can stay quiet while a key warms up.
 */
public record NegativeScore(
        String brand,
        String topic,
        Instant windowStart,
        Instant windowEnd,
        long scored,
        long negatives,
        double expectedShare,
        double z,
        double lift,
        double history,
        List<TopMention> topMentions,
        Map<String, Long> platforms) {

    public double expectedNegatives() {
        return scored * expectedShare;
    }
}
