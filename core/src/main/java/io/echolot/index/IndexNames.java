package io.echolot.index;

import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names of echolot's Elasticsearch indices and the deterministic document ids in them. Indices are
 * time-based on the event time (not the processing time), so a replay writes to the same index and
 * overwrites by id instead of duplicating.
 */
public final class IndexNames {

    public static final String MENTIONS = "echolot-mentions-";
    public static final String AGGREGATES = "echolot-aggregates-";
    public static final String ALERTS = "echolot-alerts-";
    public static final String CARE = "echolot-care-";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);

    private IndexNames() {}

    /** One index per UTC day of created_at. */
    public static String mentionIndex(Mention m) {
        return MENTIONS + DAY.format(m.createdAt());
    }

    /** One index per UTC month of the window start. */
    public static String aggregateIndex(WindowAggregate a) {
        return AGGREGATES + MONTH.format(a.windowStart());
    }

    /** brand|topic|window_start|window_end: a late firing of the same window overwrites. */
    public static String aggregateId(WindowAggregate a) {
        return a.brand() + '|' + a.topic() + '|' + a.windowStart() + '|' + a.windowEnd();
    }

    /** Care figures: one index per UTC month of the window start. */
    public static String careIndex(Instant windowStart) {
        return CARE + MONTH.format(windowStart);
    }

    public static String alertIndex(Instant openedAt) {
        return ALERTS + MONTH.format(openedAt);
    }
}
