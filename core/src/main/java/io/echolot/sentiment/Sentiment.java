package io.echolot.sentiment;

import io.echolot.model.SentimentLabel;
import java.io.Serializable;
import java.util.Objects;

/**
 * A sentiment score in [-1, 1] and its label ({@link SentimentLabel#of(double)}).
 *
 * @param score negative below zero, positive above; magnitude is the strength
 * @param label the label of the score under the project's neutral band
 */
public record Sentiment(double score, SentimentLabel label) implements Serializable {

    /** A score of zero: no sentiment found. */
    public static final Sentiment NEUTRAL = of(0.0);

    public Sentiment {
        if (!(score >= -1.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be in [-1, 1], got " + score);
        }
        Objects.requireNonNull(label, "label");
    }

    /** The sentiment of a score, labelled with {@link SentimentLabel#of(double)}. */
    public static Sentiment of(double score) {
        return new Sentiment(score, SentimentLabel.of(score));
    }
}
