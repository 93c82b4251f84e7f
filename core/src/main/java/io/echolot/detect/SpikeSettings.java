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

    /** Windows of the rising pattern. */
    public static final int RISING_WINDOWS = 3;

    /** Time bound of the rising pattern. */
    public static final Duration RISING_WITHIN = Duration.ofMinutes(30);

    /** Windows of the repeated pattern. */
    public static final int REPEATED_WINDOWS = 2;

    /** Time bound of the repeated pattern. */
    public static final Duration REPEATED_WITHIN = Duration.ofHours(6);

    /**
     * The three standard confirmations with the given thresholds: one window with calibrated tail ≤
     * {@code extremeTail}; {@value #RISING_WINDOWS} adjacent rising windows each ≤ {@code
     * risingTail} within {@link #RISING_WITHIN}; {@value #REPEATED_WINDOWS} windows each ≤ {@code
     * repeatedTail} within {@link #REPEATED_WITHIN}. Every matched window has at least {@code
     * minCount} mentions and {@code minRatio} times the expected count.
     */
    public static SpikeSettings standard(
            BaselineSettings baseline,
            double extremeTail,
            double risingTail,
            double repeatedTail,
            long minCount,
            double minRatio,
            Duration cooldown) {
        return new SpikeSettings(
                baseline,
                List.of(
                        new ExtremeWindowPattern(extremeTail, minCount, minRatio),
                        new RisingWindowsPattern(
                                RISING_WINDOWS, risingTail, minCount, minRatio, RISING_WITHIN),
                        new RepeatedWindowsPattern(
                                REPEATED_WINDOWS,
                                repeatedTail,
                                minCount,
                                minRatio,
                                REPEATED_WITHIN)),
                cooldown);
    }

    /** Default tail of the extreme pattern. */
    public static final double EXTREME_TAIL = 1e-10;

    /** Default tail of each window of the rising pattern. */
    public static final double RISING_TAIL = 1e-6;

    /** Default tail of each window of the repeated pattern. */
    public static final double REPEATED_TAIL = 1e-5;

    /** Default minimum count of a matched window. */
    public static final long MIN_COUNT = 10;

    /** Default minimum observed / expected of a matched window. */
    public static final double MIN_RATIO = 2.0;

    /** Default cooldown. */
    public static final Duration COOLDOWN = Duration.ofHours(24);

    /**
     * The defaults: one window with tail probability ≤ 1e-10, or three adjacent rising windows each
     * ≤ 1e-6 within 30 minutes, or two windows each ≤ 1e-5 within 6 hours; at least 10 mentions and
     * twice the expected count either way; matches less than 24 hours apart are one incident.
     */
    public static SpikeSettings defaults() {
        return standard(
                BaselineSettings.defaults(),
                EXTREME_TAIL,
                RISING_TAIL,
                REPEATED_TAIL,
                MIN_COUNT,
                MIN_RATIO,
                COOLDOWN);
    }
}
