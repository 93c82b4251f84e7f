package io.echolot.detect;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
        int windows) {

    /** The type of volume spike alerts, as in alert-v1.schema.json. */
    public static final String SPIKE = "viral_spike";

    /** The deterministic id of an alert. */
    public static String idOf(String brand, String topic, String type, Instant incidentStart) {
        String name = brand + '|' + topic + '|' + type + '|' + incidentStart.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
