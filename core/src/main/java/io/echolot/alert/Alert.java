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

    /** An alert without drivers. */
    public Alert(
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
            CareContext care) {
        this(
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
                null);
    }

    /** An alert without evidence of growth and without customer-care context. */
    public Alert(
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
            Map<String, Long> platforms) {
        this(
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
                null,
                null,
                null);
    }

    /** An alert without customer-care context (every type but {@link AlertType#UNANSWERED}). */
    public Alert(
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
            Double reshareShare) {
        this(
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
                null);
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
}
