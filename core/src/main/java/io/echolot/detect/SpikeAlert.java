package io.echolot.detect;

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
}
