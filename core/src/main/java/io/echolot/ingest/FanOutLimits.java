package io.echolot.ingest;

import io.echolot.model.Mention;
import java.io.Serializable;
import java.util.List;

/**
 * How many brands and topics one mention may have. A mention is copied once per (brand, topic) and
 * (brand, all) into the windows, with its text: 64 brands × 64 topics would be 4,160 copies of one
 * record. Counted after normalisation (trimmed, lower-cased, de-duplicated, without the reserved
 * topic "all"), so the counts are exactly the fan-out.
 *
 * @param maxBrands at most this many brands
 * @param maxTopics at most this many topics
 */
public record FanOutLimits(int maxBrands, int maxTopics) implements Serializable {

    /** No limits beyond what the event schema allows (64 of each); for tools and tests. */
    public static final FanOutLimits NONE = new FanOutLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    public FanOutLimits {
        if (maxBrands < 1 || maxTopics < 1) {
            throw new IllegalArgumentException(
                    "limits must be at least 1, got "
                            + maxBrands
                            + " brands, "
                            + maxTopics
                            + " topics");
        }
    }

    /** Why {@code m} is over a limit, or null when it is within both. */
    public String violation(Mention m) {
        return violation(m.brands(), m.topics());
    }

    /** Why these brands and topics are over a limit, or null when they are within both. */
    public String violation(List<String> brands, List<String> topics) {
        if (brands.size() > maxBrands) {
            return brands.size() + " brands, more than the limit of " + maxBrands + " per mention";
        }
        if (topics.size() > maxTopics) {
            return topics.size() + " topics, more than the limit of " + maxTopics + " per mention";
        }
        return null;
    }
}
