package io.echolot.sentiment;

import java.io.Serializable;

/**
 * Scores the sentiment of one short text (a post, a comment, a review). Implementations are
 * thread-safe and cheap to serialize, so an operator can hold one as a field.
 */
public interface SentimentScorer extends Serializable {

    /**
     * Scores a text.
     *
     * @param text the text; {@code null} or blank scores as {@link Sentiment#NEUTRAL}
     * @param lang an ISO 639-1 code ({@code "de"}, {@code "en"}); {@code null} or any other value
     *     lets the scorer guess the language or use all it knows
     */
    Sentiment score(String text, String lang);

    /** Scores a text of unknown language. */
    default Sentiment score(String text) {
        return score(text, null);
    }
}
