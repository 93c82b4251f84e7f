package io.echolot.alert;

import java.util.Locale;

/**
 * How urgent an alert is, from how far the observation lies above what was expected. The steps are
 * ratios of observed to expected: ×2 low, ×3 medium, ×5 high, ×10 critical.
 */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param expected the baseline; below 1 it counts as 1, so a handful of posts about a quiet
     *     brand is not "critical" just because the baseline is near zero
     */
    public static Severity of(double observed, double expected) {
        double ratio = observed / Math.max(1.0, expected);
        if (ratio >= 10) {
            return CRITICAL;
        }
        if (ratio >= 5) {
            return HIGH;
        }
        if (ratio >= 3) {
            return MEDIUM;
        }
        if (ratio >= 2) {
            return LOW;
        }
        return INFO;
    }
}
