package io.echolot.alert;

import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A detector's finding for one window of one (brand, topic): the evidence an alert is opened or
 * updated from. Detectors emit signals; {@link AlertLifecycle} turns them into alerts, so one
 * incident becomes one alert however many windows it lasts.
 *
 * @param score the detector's confidence in [0, 1]
 * @param velocity growth of the count between windows (mentions per window); null when the detector
 *     does not measure it
 * @param reshareShare share of the mentions that reshare another post; null when not measured
 */
public record AlertSignal(
        AlertType type,
        String brand,
        String topic,
        Instant windowStart,
        Instant windowEnd,
        double observed,
        double expected,
        double score,
        Severity severity,
        List<TopMention> topMentions,
        Map<String, Long> platforms,
        Long velocity,
        Double reshareShare) {

    /** The key of the alert this signal belongs to: one open alert per brand, topic and type. */
    public String alertKey() {
        return brand + '|' + topic + '|' + type.wireName();
    }
}
