package io.echolot.detect;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Everything the spike detection needs: the baseline, the CEP confirmations and the cooldown that
 * makes one incident one alert.
 *
 * @param baseline the per-key baseline
 * @param patterns the confirmations; an alert opens when any of them matches
 * @param cooldown a match within this time after the previous match of the same key belongs to the
 *     same incident and opens no new alert
 */
public record SpikeSettings(
        BaselineSettings baseline, List<SpikePattern> patterns, Duration cooldown)
        implements Serializable {

    public SpikeSettings {
        patterns = List.copyOf(patterns);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("at least one pattern");
        }
        if (patterns.stream().map(SpikePattern::name).distinct().count() != patterns.size()) {
            throw new IllegalArgumentException("pattern names must be unique");
        }
    }

    /**
     * The defaults: one window with tail probability ≤ 1e-10, or three adjacent rising windows each
     * ≤ 1e-6 within 30 minutes; at least 10 mentions and twice the expected count either way;
     * matches less than 24 hours apart are one incident.
     */
    public static SpikeSettings defaults() {
        return new SpikeSettings(
                BaselineSettings.defaults(),
                List.of(
                        new ExtremeWindowPattern(1e-10, 10, 2.0),
                        new RisingWindowsPattern(3, 1e-6, 10, 2.0, Duration.ofMinutes(30))),
                Duration.ofHours(24));
    }
}
