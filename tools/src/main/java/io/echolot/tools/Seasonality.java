package io.echolot.tools;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * How busy social media is at a given time, relative to the weekly mean: quiet nights, a lunch
 * bump, an evening peak, calmer weekends (German local time). The factor is 1.0 on average over a
 * week, so a generator's {@code --rate} stays its mean rate.
 */
final class Seasonality {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** Relative activity at the start of each local hour. */
    private static final double[] HOURS = {
        0.30, 0.20, 0.15, 0.12, 0.12, 0.20, 0.45, 0.75, 0.95, 1.05, 1.10, 1.15,
        1.20, 1.15, 1.10, 1.10, 1.15, 1.25, 1.40, 1.50, 1.45, 1.20, 0.85, 0.50
    };

    private static final double WEEKDAY = 1.05;
    private static final double SATURDAY = 0.9;
    private static final double SUNDAY = 0.85;

    private static final double MEAN;

    static {
        // mean of the piecewise-linear day profile times the mean day factor
        double day = 0;
        for (int h = 0; h < 24; h++) {
            day += (HOURS[h] + HOURS[(h + 1) % 24]) / 2;
        }
        MEAN = day / 24 * ((5 * WEEKDAY + SATURDAY + SUNDAY) / 7);
    }

    private final boolean enabled;

    Seasonality(boolean enabled) {
        this.enabled = enabled;
    }

    /** The activity factor at {@code t}: 1.0 when disabled. */
    double factor(Instant t) {
        if (!enabled) {
            return 1.0;
        }
        ZonedDateTime local = t.atZone(BERLIN);
        double hour = local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
        int h = (int) hour;
        double frac = hour - h;
        double dayShape = HOURS[h] * (1 - frac) + HOURS[(h + 1) % 24] * frac;
        DayOfWeek d = local.getDayOfWeek();
        double dayFactor =
                d == DayOfWeek.SATURDAY ? SATURDAY : d == DayOfWeek.SUNDAY ? SUNDAY : WEEKDAY;
        return dayShape * dayFactor / MEAN;
    }
}
