package io.echolot.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Statistics of the mentions of one brand and topic in one tumbling event-time window [start, end).
 * The topic {@link #ALL_TOPICS} covers every mention of the brand. The window bounds are part of
 * the record and of its Elasticsearch id, so a late firing overwrites the earlier result. {@code
 * reshares} counts the mentions that reshare another post ({@code reshare_of}): a cascade.
 */
public record WindowAggregate(
        String brand,
        String topic,
        Instant windowStart,
        Instant windowEnd,
        long mentions,
        long reshares,
        long uniqueAuthors,
        long reach,
        EngagementTotals engagement,
        SentimentStats sentiment,
        Map<String, Long> platforms,
        Map<String, Long> languages,
        List<TopMention> topMentions) {

    /** The topic of the brand-level aggregate. */
    public static final String ALL_TOPICS = "all";
}
