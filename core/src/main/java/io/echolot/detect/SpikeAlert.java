package io.echolot.detect;

import io.echolot.alert.Evidence;
import io.echolot.model.TopMention;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One alert about one incident of one (brand, topic). The id is deterministic (brand, topic, type
 * and the first window of the incident), so replays and later lifecycle updates (updated, resolved)
 * address the same alert document.
 *
 * @param alertId name-based UUID of brand|topic|type|incidentStart
 * @param type the kind of alert, e.g. {@link #SPIKE}
 * @param trigger the pattern that matched, e.g. {@code extreme-window}
 * @param status lifecycle status
 * @param incidentStart start of the first window of the match
 * @param windowStart start of the window whose count raised the alert (detection time)
 * @param windowEnd end of that window
 * @param observed the largest count in the match
 * @param expected the baseline of that window
 * @param surprise the largest surprise in the match
 * @param tailProbability the smallest tail probability in the match
 * @param windows windows in the match
 * @param velocity the largest growth of the count from one window to the next in the match
 *     (mentions per window)
 * @param reshareShare share of the matched windows' mentions that reshare another post (a cascade)
 * @param platforms mentions per platform over the matched windows
 * @param topMentions the most engaging mentions of the matched windows, best first
 */
public record SpikeAlert(
        String alertId,
        String brand,
        String topic,
        String type,
        String trigger,
        AlertStatus status,
        Instant incidentStart,
        Instant windowStart,
        Instant windowEnd,
        long observed,
        double expected,
        double surprise,
        double tailProbability,
        int windows,
        long velocity,
        double reshareShare,
        Map<String, Long> platforms,
        List<TopMention> topMentions) {

    /** Top mentions an alert carries at most. */
    public static final int MAX_TOP_MENTIONS = 5;

    /** The type of volume spike alerts, as in alert-v1.schema.json. */
    public static final String SPIKE = "viral_spike";

    /** The deterministic id of an alert. */
    public static String idOf(String brand, String topic, String type, Instant incidentStart) {
        String name = brand + '|' + topic + '|' + type + '|' + incidentStart.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The evidence of the whole incident, as its alert signal carries it: from the incident's start
     * to the end of the detecting window, the surprise as score, not explained by drivers.
     */
    public Evidence evidence() {
        return new Evidence(
                incidentStart,
                windowEnd,
                observed,
                expected,
                surprise,
                topMentions,
                platforms,
                velocity,
                reshareShare,
                null);
    }

    /**
     * A builder of a spike alert; defaults: type {@link #SPIKE}, {@link AlertStatus#OPEN}, no
     * platforms, no top mentions, everything else null or 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Names what a spike alert is made of. */
    public static final class Builder {
        private String alertId;
        private String brand;
        private String topic;
        private String type = SPIKE;
        private String trigger;
        private AlertStatus status = AlertStatus.OPEN;
        private Instant incidentStart;
        private Instant windowStart;
        private Instant windowEnd;
        private long observed;
        private double expected;
        private double surprise;
        private double tailProbability;
        private int windows;
        private long velocity;
        private double reshareShare;
        private Map<String, Long> platforms = Map.of();
        private List<TopMention> topMentions = List.of();

        private Builder() {}

        public Builder alertId(String alertId) {
            this.alertId = alertId;
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

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder trigger(String trigger) {
            this.trigger = trigger;
            return this;
        }

        public Builder status(AlertStatus status) {
            this.status = status;
            return this;
        }

        public Builder incidentStart(Instant incidentStart) {
            this.incidentStart = incidentStart;
            return this;
        }

        public Builder windowStart(Instant windowStart) {
            this.windowStart = windowStart;
            return this;
        }

        public Builder windowEnd(Instant windowEnd) {
            this.windowEnd = windowEnd;
            return this;
        }

        public Builder observed(long observed) {
            this.observed = observed;
            return this;
        }

        public Builder expected(double expected) {
            this.expected = expected;
            return this;
        }

        public Builder surprise(double surprise) {
            this.surprise = surprise;
            return this;
        }

        public Builder tailProbability(double tailProbability) {
            this.tailProbability = tailProbability;
            return this;
        }

        public Builder windows(int windows) {
            this.windows = windows;
            return this;
        }

        public Builder velocity(long velocity) {
            this.velocity = velocity;
            return this;
        }

        public Builder reshareShare(double reshareShare) {
            this.reshareShare = reshareShare;
            return this;
        }

        public Builder platforms(Map<String, Long> platforms) {
            this.platforms = platforms;
            return this;
        }

        public Builder topMentions(List<TopMention> topMentions) {
            this.topMentions = topMentions;
            return this;
        }

        public SpikeAlert build() {
            return new SpikeAlert(
                    alertId,
                    brand,
                    topic,
                    type,
                    trigger,
                    status,
                    incidentStart,
                    windowStart,
                    windowEnd,
                    observed,
                    expected,
                    surprise,
                    tailProbability,
                    windows,
                    velocity,
                    reshareShare,
                    platforms,
                    topMentions);
        }
    }
}
