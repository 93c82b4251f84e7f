package io.echolot.care;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the customers topic: none. CRM updates apply as they arrive (processing order), so
 * the customers input must not hold back the event time of the mentions it is joined with: it has
 * no watermarks of its own and goes idle {@link #IDLENESS} after its last record, so the join's
 * event time is the mentions' own. Right after an update the join waits that long for it.
 */
public final class CustomerWatermarks {

    /** How soon a quiet customers topic stops holding back the join. */
    public static final Duration IDLENESS = Duration.ofSeconds(1);

    private CustomerWatermarks() {}

    public static WatermarkStrategy<CustomerUpdate> strategy() {
        return WatermarkStrategy.<CustomerUpdate>noWatermarks().withIdleness(IDLENESS);
    }
}
