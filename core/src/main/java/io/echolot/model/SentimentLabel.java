package io.echolot.model;

/**
 * The label of a sentiment score in [-1, 1]. Scores strictly inside (-0.05, 0.05) are neutral, as
 * with the VADER compound score; the band keeps near-zero noise out of the positive and negative
 * counts.
 */
public enum SentimentLabel {
    NEGATIVE,
    NEUTRAL,
    POSITIVE;

    public static final double NEUTRAL_BAND = 0.05;

    public static SentimentLabel of(double score) {
        if (score >= NEUTRAL_BAND) {
            return POSITIVE;
        }
        if (score <= -NEUTRAL_BAND) {
            return NEGATIVE;
        }
        return NEUTRAL;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
