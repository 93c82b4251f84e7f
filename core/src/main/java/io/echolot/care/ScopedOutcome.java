package io.echolot.care;

/**
 * A care outcome (at {@code eventTime}: item, reply or due time) in the scope of one (brand, topic,
 * platform) and the window of its item's event time: the key of the response-time figures.
 */
public record ScopedOutcome(
        String brand,
        String topic,
        String platform,
        long windowStart,
        long windowEnd,
        CareOutcome.Kind kind,
        String itemId,
        long responseMillis,
        long eventTime) {

    public String key() {
        return brand + '|' + topic + '|' + platform + '|' + windowStart;
    }
}
