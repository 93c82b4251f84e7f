package io.echolot.detect;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The expected count of a window and its spread, learned online per key.
 *
 * <p>Expected count μ = level · hourOfDay[h] · dayOfWeek[d] (UTC), where the level is an EWMA of
 * the deseasonalised counts and the two profiles are EWMAs of the count relative to the rest of the
 * model, kept at mean 1. The spread is negative binomial (NB2): variance = μ + φ · μ², φ estimated
 * by the method of moments from EWMAs of the excess variance over Poisson and of μ², so a
 * low-volume key is judged as Poisson and a noisy high-volume key by its own noise. Every EWMA
 * starts as a running mean (rate max(α, 1/n)) and the profiles start from a flat prior worth half a
 * bucket of windows; the day-of-week profile learns only once the key is warm. Updates use the
 * count winsorized at μ + clipSigmas · sd, so a spike moves the baseline by at most a few standard
 * deviations per window. Windows missing between two seen ones count as zero counts for the level.
 */
public final class BaselineModel implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long WEEK = Duration.ofDays(7).toMillis();
    private static final double MIN_MEAN = 1e-3;
    private static final double MAX_DISPERSION = 10.0;
    private static final double MIN_FACTOR = 0.05;
    private static final double MAX_FACTOR = 20.0;
    private static final int SEEN_CAP = 1 << 20;

    /**
     * The exceedance level u of the tail calibration, in nats of count surprise: windows whose
     * count tail is below e^{-u} = 1e-3 are the key's exceedances.
     */
    public static final double EXCEEDANCE_LEVEL = Math.log(1000);

    /** A calibrated key exceeds u in a share e^{-u} of its windows. */
    static final double PRIOR_EXCEED_RATE = Math.exp(-EXCEEDANCE_LEVEL);

    /** For s ~ Exp(1), E[ln(s/u) | s > u] ≈ 1/u. */
    static final double PRIOR_EXCESS_LOG_MEAN = 1 / EXCEEDANCE_LEVEL;

    /** The prior of the tail index is worth this many exceedances. */
    private static final int PRIOR_EXCEEDANCES = 5;

    /** The tail index follows about this many recent exceedances. */
    private static final int EXCEEDANCE_MEMORY = 50;

    /** What the model expected for one window, before learning from it. */
    public record Expectation(
            double mean,
            double dispersion,
            boolean warm,
            long previousObserved,
            double exceedRate,
            double excessLogMean) {

        /** P(X ≥ observed) under the expectation. */
        public double upperTail(long observed) {
            return CountTail.upper(observed, mean, dispersion);
        }

        /**
         * The count tail calibrated against the key's own history of surprises (peaks over
         * threshold): with s = −ln(countTail), the share of the key's windows at least this
         * surprising, λ · (s / u)^(−1/β) above the exceedance level u (a Pareto tail of the
         * surprise, λ the exceedance rate, β the mean of ln(s/u) over exceedances), and the count
         * tail scaled by λ / e^{-u} below it. Equal to the count tail for a key whose model is
         * calibrated; larger for a key that bursts often.
         */
        public double keyTail(double countTail) {
            return Double.isNaN(exceedRate)
                    ? countTail
                    : calibrate(countTail, exceedRate, excessLogMean);
        }

        /** Standard deviation of the count. */
        public double sd() {
            return Math.sqrt(mean + dispersion * mean * mean);
        }
    }

    private final BaselineSettings settings;

    public BaselineModel(BaselineSettings settings) {
        this.settings = settings;
    }

    public BaselineSettings settings() {
        return settings;
    }

    /**
     * The expectation for the window [start, end) given the state (which has seen only earlier
     * windows). Not warm while the key's history is shorter than the warm-up.
     */
    public Expectation expect(BaselineState s, long start, long end) {
        if (s.windows == 0) {
            return new Expectation(MIN_MEAN, 0.0, false, 0, s.exceedRate, s.excessLogMean);
        }
        long width = end - start;
        int missing = missingWindows(s, start, width);
        double level = s.level * Math.pow(1 - rate(width, settings.levelHalfLife()), missing);
        double mean =
                Math.max(MIN_MEAN, level * s.hourOfDay[hour(start)] * s.dayOfWeek[day(start)]);
        boolean warm = start - s.firstWindowStart >= settings.warmUp().toMillis() && s.windows >= 2;
        return new Expectation(
                mean,
                dispersion(s),
                warm,
                missing == 0 ? s.previousObserved : 0L,
                settings.calibrated() ? s.exceedRate : Double.NaN,
                s.excessLogMean);
    }

    /** See {@link Expectation#keyTail}. */
    static double calibrate(double countTail, double exceedRate, double excessLogMean) {
        double s = surpriseNats(countTail);
        double u = EXCEEDANCE_LEVEL;
        if (s <= u) {
            return Math.min(1.0, countTail * exceedRate / PRIOR_EXCEED_RATE);
        }
        return Math.min(1.0, exceedRate * Math.pow(s / u, -1 / excessLogMean));
    }

    /** −ln(p), at most 745 (the smallest double). */
    static double surpriseNats(double p) {
        return p > 0 ? -Math.log(p) : 745.0;
    }

    /** Learns from the count of window [start, end); call once per window, in order. */
    public void update(BaselineState s, long start, long end, long observed) {
        long width = end - start;
        int h = hour(start);
        int d = day(start);
        if (s.windows == 0) {
            s.firstWindowStart = start;
            s.level = observed;
            s.excessVariance = 0;
            s.meanSquare = 0;
        } else {
            Expectation e = expect(s, start, end);
            double alphaLevel = rate(width, settings.levelHalfLife());
            int missing = missingWindows(s, start, width);
            s.level *= Math.pow(1 - alphaLevel, missing);
            double x = observed;
            if (e.warm()) {
                x = Math.min(x, e.mean() + settings.clipSigmas() * e.sd());
                learnTail(s, surpriseNats(e.upperTail(observed)), width);
            }
            long n = s.windows + 1;

            double alphaVar = Math.max(rate(width, settings.dispersionHalfLife()), 1.0 / n);
            double mu = e.mean();
            s.excessVariance += alphaVar * ((x - mu) * (x - mu) - mu - s.excessVariance);
            s.meanSquare += alphaVar * (mu * mu - s.meanSquare);

            double previousLevel = s.level;
            double seasonal = s.hourOfDay[h] * s.dayOfWeek[d];
            s.level += Math.max(alphaLevel, 1.0 / n) * (x / seasonal - s.level);
            if (previousLevel > MIN_MEAN) {
                double season = settings.seasonHalfLife().toMillis();
                double hourPrior = HOUR / (2.0 * width);
                double alphaHour =
                        Math.max(
                                1 - Math.pow(0.5, DAY * (double) width / (season * HOUR)),
                                1.0 / (s.hourSeen[h] + 1 + hourPrior));
                s.hourOfDay[h] =
                        clampFactor(
                                s.hourOfDay[h]
                                        + alphaHour
                                                * (x / (previousLevel * s.dayOfWeek[d])
                                                        - s.hourOfDay[h]));
                if (e.warm()) {
                    // the weekly profile learns once the level and the daily profile have settled
                    double dayPrior = DAY / (2.0 * width);
                    double alphaDay =
                            Math.max(
                                    1 - Math.pow(0.5, WEEK * (double) width / (season * DAY)),
                                    1.0 / (s.daySeen[d] + 1 + dayPrior));
                    s.dayOfWeek[d] =
                            clampFactor(
                                    s.dayOfWeek[d]
                                            + alphaDay
                                                    * (x / (previousLevel * s.hourOfDay[h])
                                                            - s.dayOfWeek[d]));
                    s.daySeen[d] = Math.min(SEEN_CAP, s.daySeen[d] + 1);
                }
                s.level *= normalise(s.hourOfDay) * normalise(s.dayOfWeek);
            }
        }
        s.hourSeen[h] = Math.min(SEEN_CAP, s.hourSeen[h] + 1);
        s.windows++;
        s.lastWindowEnd = end;
        s.previousObserved = observed;
    }

    /** Learns the exceedance rate and the tail index from the surprise of a warm window. */
    private void learnTail(BaselineState s, double nats, long width) {
        if (!settings.calibrated()) {
            return;
        }
        boolean exceeds = nats > EXCEEDANCE_LEVEL;
        s.exceedRate +=
                rate(width, settings.calibrationHalfLife()) * ((exceeds ? 1 : 0) - s.exceedRate);
        if (exceeds) {
            double alpha =
                    Math.max(
                            1.0 / EXCEEDANCE_MEMORY, 1.0 / (s.exceedances + 1 + PRIOR_EXCEEDANCES));
            s.excessLogMean += alpha * (Math.log(nats / EXCEEDANCE_LEVEL) - s.excessLogMean);
            s.exceedances = Math.min(SEEN_CAP, s.exceedances + 1);
        }
    }

    /** φ from the moments, clamped to [0, 10]. */
    static double dispersion(BaselineState s) {
        if (!(s.meanSquare > 0)) {
            return 0.0;
        }
        return Math.min(MAX_DISPERSION, Math.max(0.0, s.excessVariance / s.meanSquare));
    }

    /** The EWMA rate per window of the given width for a half-life. */
    static double rate(long width, Duration halfLife) {
        if (halfLife.isZero()) {
            return 1.0;
        }
        return 1 - Math.pow(0.5, (double) width / halfLife.toMillis());
    }

    private static double clampFactor(double f) {
        return Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, f));
    }

    /** Scales the factors to mean 1 and returns the old mean. */
    private static double normalise(double[] factors) {
        double sum = 0;
        for (double f : factors) {
            sum += f;
        }
        double mean = sum / factors.length;
        if (mean > 0) {
            for (int i = 0; i < factors.length; i++) {
                factors[i] /= mean;
            }
            return mean;
        }
        return 1.0;
    }

    private static int missingWindows(BaselineState s, long start, long width) {
        if (width <= 0 || start <= s.lastWindowEnd) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (start - s.lastWindowEnd) / width);
    }

    static int hour(long epochMillis) {
        return (int) Math.floorMod(Math.floorDiv(epochMillis, HOUR), 24L);
    }

    static int day(long epochMillis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC)
                        .getDayOfWeek()
                        .getValue()
                - 1;
    }
}
