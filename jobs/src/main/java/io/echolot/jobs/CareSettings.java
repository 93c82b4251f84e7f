package io.echolot.jobs;

import java.io.Serializable;
import java.time.Duration;

/**
 * The knobs of customer care (which needs rules: brand accounts and SLAs live there). {@code
 * crmTopic} is the compacted customers topic, or null to run without CRM context; {@code window} is
 * the window of the response-time figures; {@code retention} is how long (event time) a
 * conversation and a window's figures are kept after their last activity.
 */
public record CareSettings(String crmTopic, Duration window, Duration retention)
        implements Serializable {

    /** No CRM topic, hourly figures, a week of retention. */
    public static CareSettings defaults() {
        return new CareSettings(null, Duration.ofHours(1), Duration.ofDays(7));
    }
}
