package io.echolot.detect;

import java.io.Serializable;
import java.time.Duration;

/**
 * The parameters of the per-key baseline. All of them are durations or plain numbers independent of
 * the window size; the model turns them into per-window learning rates.
 *
 * @param warmUp history a key needs before it is scored (no alerts before)
 * @param levelHalfLife half-life of the deseasonalised level (the recent EWMA)
 * @param seasonHalfLife half-life of the hour-of-day and day-of-week profiles, in elapsed time
 * @param dispersionHalfLife half-life of the over-dispersion estimate
 * @param clipSigmas updates use counts winsorized at expected + clipSigmas · sd, so a spike does
 *     not poison its own baseline
 * @param calibrationHalfLife half-life of the key's exceedance rate (how often its counts are
 *     surprising), which calibrates the surprise to the key's own burstiness; zero: no calibration,
 *     the calibrated tail is the count tail
 * @param idleTimeout a key that sends no window for this long (event time) loses its state
 */
public record BaselineSettings(
        Duration warmUp,
        Duration levelHalfLife,
        Duration seasonHalfLife,
        Duration dispersionHalfLife,
        double clipSigmas,
        Duration calibrationHalfLife,
        Duration idleTimeout)
        implements Serializable {

    public BaselineSettings {
        if (clipSigmas <= 0) {
            throw new IllegalArgumentException("clipSigmas must be positive");
        }
        for (Duration d :
                new Duration[] {
                    warmUp,
                    levelHalfLife,
                    seasonHalfLife,
                    dispersionHalfLife,
                    calibrationHalfLife,
                    idleTimeout
                }) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be non-negative");
            }
        }
    }

    /** Whether the tail is calibrated against the key's history. */
    public boolean calibrated() {
        return !calibrationHalfLife.isZero();
    }

    /**
     * Defaults that suit 1- to 15-minute windows of mention counts: one day of warm-up, a level
     * with one day of memory, profiles with a week, dispersion with two days, updates winsorized at
     * 5 sd, no per-key tail calibration, state dropped after 14 idle days.
     */
    public static BaselineSettings defaults() {
        return new BaselineSettings(
                Duration.ofDays(1),
                Duration.ofDays(1),
                Duration.ofDays(7),
                Duration.ofDays(2),
                5.0,
                Duration.ZERO,
                Duration.ofDays(14));
    }
}
