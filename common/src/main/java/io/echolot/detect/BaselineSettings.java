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
 * @param idleTimeout a key that sends no window for this long (event time) loses its state
 */
public record BaselineSettings(
        Duration warmUp,
        Duration levelHalfLife,
        Duration seasonHalfLife,
        Duration dispersionHalfLife,
        double clipSigmas,
        Duration idleTimeout)
        implements Serializable {

    public BaselineSettings {
        if (clipSigmas <= 0) {
            throw new IllegalArgumentException("clipSigmas must be positive");
        }
        for (Duration d :
                new Duration[] {
                    warmUp, levelHalfLife, seasonHalfLife, dispersionHalfLife, idleTimeout
                }) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be non-negative");
            }
        }
    }

    /** Defaults that suit 1- to 15-minute windows of mention counts. */
    public static BaselineSettings defaults() {
        return new BaselineSettings(
                Duration.ofDays(1),
                Duration.ofHours(6),
                Duration.ofDays(7),
                Duration.ofDays(2),
                3.0,
                Duration.ofDays(14));
    }
}
