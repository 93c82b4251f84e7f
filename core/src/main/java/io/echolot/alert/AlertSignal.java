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

    /**
     * A builder of a signal that may open an alert (set {@code opens(false)} for a continuation).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this signal. */
    public Builder toBuilder() {
        return new Builder()
                .type(type)
                .brand(brand)
                .topic(topic)
                .severity(severity)
                .evidence(evidence())
                .opens(opens);
    }

    /** What the detector saw: the fields an alert takes over from the signal. */
    public Evidence evidence() {
        return new Evidence(
                windowStart,
                windowEnd,
                observed,
                expected,
                score,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                drivers);
    }

    /** The same evidence as a continuation, which never opens an alert. */
    public AlertSignal asContinuation() {
        return toBuilder().opens(false).build();
    }

    /** The same signal explained by {@code d}. */
    public AlertSignal withDrivers(AlertDrivers d) {
        return toBuilder().evidence(evidence().withDrivers(d)).build();
    }

    /** The key of the alert this signal belongs to: one open alert per brand, topic and type. */
    public String alertKey() {
        return brand + '|' + topic + '|' + type.wireName();
    }

    /**
     * Names what a signal is made of. Defaults: may open an alert, no evidence (set one with {@link
     * #evidence(Evidence)}).
     */
    public static final class Builder {
        private AlertType type;
        private String brand;
        private String topic;
        private Severity severity;
        private Evidence evidence;
        private boolean opens = true;

        private Builder() {}

        public Builder type(AlertType type) {
            this.type = type;
            return this;
        }

        public Builder brand(String brand) {
            this.brand = brand;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder evidence(Evidence evidence) {
            this.evidence = evidence;
            return this;
        }

        public Builder opens(boolean opens) {
            this.opens = opens;
            return this;
        }

        /**
         * @throws NullPointerException without evidence
         */
        public AlertSignal build() {
            Evidence e = java.util.Objects.requireNonNull(evidence, "evidence");
            return new AlertSignal(
                    type,
                    brand,
                    topic,
                    e.windowStart(),
                    e.windowEnd(),
                    e.observed(),
                    e.expected(),
                    e.score(),
                    severity,
                    e.topMentions(),
                    e.platforms(),
                    e.velocity(),
                    e.reshareShare(),
                    opens,
                    e.drivers());
        }
    }
}
