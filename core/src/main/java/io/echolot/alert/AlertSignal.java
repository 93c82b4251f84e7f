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
 * @param opens whether the signal may open an alert; a continuation (false) only updates an alert
 *     that is open and keeps it from resolving, e.g. the later windows of a spike whose incident
 *     was already reported
 * @param drivers what makes up the excess (viral spikes, negative bursts); null when not explained
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
        Double reshareShare,
        boolean opens,
        AlertDrivers drivers) {

    /** A signal without drivers. */
    public AlertSignal(
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
            Double reshareShare,
            boolean opens) {
        this(
                type,
                brand,
                topic,
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                severity,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                opens,
                null);
    }

    /** A signal that may open an alert. */
    public AlertSignal(
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
        this(
                type,
                brand,
                topic,
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                severity,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                true);
    }

    /** The same evidence as a continuation, which never opens an alert. */
    public AlertSignal asContinuation() {
        return new AlertSignal(
                type,
                brand,
                topic,
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                severity,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                false,
                drivers);
    }

    /** The same signal explained by {@code d}. */
    public AlertSignal withDrivers(AlertDrivers d) {
        return new AlertSignal(
                type,
                brand,
                topic,
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                severity,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                opens,
                d);
    }

    /** The key of the alert this signal belongs to: one open alert per brand, topic and type. */
    public String alertKey() {
        return brand + '|' + topic + '|' + type.wireName();
    }
}
