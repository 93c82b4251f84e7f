package io.echolot.model;

/**
 * Sentiment of a window's mentions that carry a score: how many, their mean (null when none) and
 * the counts per {@link SentimentLabel}.
 */
public record SentimentStats(
        long scored, Double mean, long positive, long neutral, long negative) {}
