package io.echolot.care;

import java.time.Instant;

/**
 * Response-time figures of the care items of one (brand, topic, platform) raised in one window, as
 * of the event time {@code asOf}: items, answered (in time or late), answered within the SLA, those
 * whose SLA ran out unanswered, the open backlog (not answered yet), and the median and 90th
 * percentile (nearest rank) of the response times of the answered ones, null when none.
 */
public record CareFigures(
        String brand,
        String topic,
        String platform,
        Instant windowStart,
        Instant windowEnd,
        long careItems,
        long answered,
        long answeredWithinSla,
        long overdue,
        long openBacklog,
        Long responseMedianMillis,
        Long responseP90Millis,
        Instant asOf) {}
