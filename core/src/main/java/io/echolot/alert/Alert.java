package io.echolot.alert;

import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One state of an alert ({@code alert-v1.schema.json}). The id is deterministic (brand, topic, type
 * and the window that opened it), and {@code version} grows with every state change, so the latest
 * state overwrites earlier ones in Elasticsearch and receivers can deduplicate by (id, version).
 * {@code velocity} and {@code reshareShare} are null for alert types that do not measure them;
 * {@code drivers} is null for alert types that are not explained (see {@link AlertDrivers}).
 */
public record Alert(
        String id,
        int version,
        AlertType type,
        AlertState state,
        Severity severity,
        String brand,
        String topic,
        Instant openedAt,
        Instant updatedAt,
        Instant resolvedAt,
        Instant windowStart,
        Instant windowEnd,
        double observed,
        double expected,
        double score,
        List<TopMention> topMentions,
        Map<String, Long> platforms,
        Long velocity,
        Double reshareShare,
        CareContext care,
        AlertDrivers drivers) {

    /**
     * A builder of an alert; defaults: version 1, {@link AlertState#OPEN}, no top mentions, no
     * platforms, everything else null or 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this alert, e.g. for its next state. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .version(version)
                .type(type)
                .state(state)
                .severity(severity)
                .brand(brand)
                .topic(topic)
                .openedAt(openedAt)
                .updatedAt(updatedAt)
                .resolvedAt(resolvedAt)
                .care(care)
                .evidence(evidence());
    }

    /** What the detector saw, as taken over from its signal. */
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

    /** A short human-readable line, e.g. for a chat message. */
    public String title() {
        String what =
                switch (type) {
                    case VIRAL_SPIKE -> "Viral spike";
                    case NEGATIVE_BURST -> "Burst of negative mentions";
                    case ADVERSE_EVENT -> "Possible adverse event report";
                    case UNANSWERED -> "Unanswered customer mention";
                    case EMERGING_TOPIC -> "Emerging topic";
                };
        String scope = topic.equals("all") ? brand : brand + " / " + topic;
        if (type == AlertType.UNANSWERED && care != null && !topMentions.isEmpty()) {
            TopMention post = topMentions.get(0);
            return String.format(
                    java.util.Locale.ROOT,
                    "%s for %s on %s (%s priority, SLA %d min%s): %s",
                    what,
                    brand,
                    post.platform().wireName(),
                    care.priority(),
                    care.slaMillis() / 60_000,
                    care.customer() == null ? "" : ", customer " + care.customer().customerId(),
                    post.text());
        }
        if (type == AlertType.ADVERSE_EVENT && !topMentions.isEmpty()) {
            TopMention post = topMentions.get(0);
            return what
                    + " for "
                    + scope
                    + " on "
                    + post.platform().wireName()
                    + ": "
                    + post.text();
        }
        return String.format(
                java.util.Locale.ROOT,
                "%s for %s: %.0f observed, %.1f expected",
                what,
                scope,
                observed,
                expected);
    }

    /** Names what an alert state is made of; the evidence is set as a whole or field by field. */
    public static final class Builder {
        private String id;
        private int version = 1;
        private AlertType type;
        private AlertState state = AlertState.OPEN;
        private Severity severity;
        private String brand;
        private String topic;
        private Instant openedAt;
        private Instant updatedAt;
        private Instant resolvedAt;
        private Instant windowStart;
        private Instant windowEnd;
        private double observed;
        private double expected;
        private double score;
        private List<TopMention> topMentions = List.of();
        private Map<String, Long> platforms = Map.of();
        private Long velocity;
        private Double reshareShare;
        private CareContext care;
        private AlertDrivers drivers;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        public Builder type(AlertType type) {
            this.type = type;
            return this;
        }

        public Builder state(AlertState state) {
            this.state = state;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
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

        public Builder openedAt(Instant openedAt) {
            this.openedAt = openedAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder resolvedAt(Instant resolvedAt) {
            this.resolvedAt = resolvedAt;
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

        public Builder observed(double observed) {
            this.observed = observed;
            return this;
        }

        public Builder expected(double expected) {
            this.expected = expected;
            return this;
        }

        public Builder score(double score) {
            this.score = score;
            return this;
        }

        public Builder topMentions(List<TopMention> topMentions) {
            this.topMentions = topMentions;
            return this;
        }

        public Builder platforms(Map<String, Long> platforms) {
            this.platforms = platforms;
            return this;
        }

        public Builder velocity(Long velocity) {
            this.velocity = velocity;
            return this;
        }

        public Builder reshareShare(Double reshareShare) {
            this.reshareShare = reshareShare;
            return this;
        }

        public Builder care(CareContext care) {
            this.care = care;
            return this;
        }

        public Builder drivers(AlertDrivers drivers) {
            this.drivers = drivers;
            return this;
        }

        /** Sets every evidence field from {@code e}. */
        public Builder evidence(Evidence e) {
            this.windowStart = e.windowStart();
            this.windowEnd = e.windowEnd();
            this.observed = e.observed();
            this.expected = e.expected();
            this.score = e.score();
            this.topMentions = e.topMentions();
            this.platforms = e.platforms();
            this.velocity = e.velocity();
            this.reshareShare = e.reshareShare();
            this.drivers = e.drivers();
            return this;
        }

        public Alert build() {
            return new Alert(
                    id,
                    version,
                    type,
                    state,
                    severity,
                    brand,
                    topic,
                    openedAt,
                    updatedAt,
                    resolvedAt,
                    windowStart,
                    windowEnd,
                    observed,
                    expected,
                    score,
                    topMentions,
                    platforms,
                    velocity,
                    reshareShare,
                    care,
                    drivers);
        }
    }
}
