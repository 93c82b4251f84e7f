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

    /**
     * The coarse resolutions a key is also scored at: the sum of its counts since the start of the
     * current UTC-aligned block, against the sum of what was expected for the same windows. A quiet
     * key's story spreads over many windows, none of them surprising alone; its hour or six hours
     * is.
     */
    public static final Duration[] SUM_BLOCKS = {Duration.ofHours(1), Duration.ofHours(6)};

    /**
     * The prior of a profile factor and of the mean's spread is worth this many mentions: while a
     * bucket has seen fewer, its factor is shrunk towards flat and its expectation counted
     * uncertain (a night of empty windows is not proof that the night expects zero).
     */
    static final double PRIOR_MENTIONS = 4.0;

    /**
     * The window's dispersion stands in for a block's own while fewer blocks than this are seen.
     */
    static final double PRIOR_BLOCKS = 4.0;

    /** A coarse sum of a key's counts and its tail under the baseline; see {@link #SUM_BLOCKS}. */
    public record Sum(long millis, long observed, double expected, double tail) {}

    /**
     * What the model expected for one window, before learning from it. The dispersion includes
     * {@code uncertainty}, the relative variance of the mean's own estimate.
     */
    public record Expectation(
            double mean,
            double dispersion,
            boolean warm,
            long previousObserved,
            double exceedRate,
            double excessLogMean,
            double uncertainty) {

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
            return new Expectation(MIN_MEAN, 0.0, false, 0, s.exceedRate, s.excessLogMean, 1.0);
        }
        long width = end - start;
        int missing = missingWindows(s, start, width);
        double level = s.level * Math.pow(1 - rate(width, settings.levelHalfLife()), missing);
        int h = hour(start);
        int d = day(start);
        double seasonWindows = settings.seasonHalfLife().toMillis() / (width * Math.log(2));
        double hourMentions = Math.min(s.hourSeen[h], seasonWindows / 24) * level;
        double dayMentions = Math.min(s.daySeen[d], seasonWindows / 7) * level;
        double hourFactor = shrink(s.hourOfDay[h], hourMentions);
        double dayFactor = shrink(s.dayOfWeek[d], dayMentions);
        double mean = Math.max(MIN_MEAN, level * hourFactor * dayFactor);
        boolean warm = start - s.firstWindowStart >= settings.warmUp().toMillis() && s.windows >= 2;
        // the mean is itself an estimate from the mentions behind it: its relative variance is
        // about 1 / (mentions seen), which for a sparse key dominates the count's own spread
        double levelMentions =
                Math.min(s.windows, settings.levelHalfLife().toMillis() / (width * Math.log(2)))
                        * level;
        double uncertainty =
                1 / (PRIOR_MENTIONS + hourMentions * hourFactor)
                        + 1 / (PRIOR_MENTIONS + levelMentions);
        return new Expectation(
                mean,
                Math.min(MAX_DISPERSION, dispersion(s) + uncertainty),
                warm,
                missing == 0 ? s.previousObserved : 0L,
                settings.calibrated() ? s.exceedRate : Double.NaN,
                s.excessLogMean,
                uncertainty);
    }

    /** A profile factor shrunk towards 1 while the mentions behind it are few. */
    static double shrink(double factor, double mentions) {
        return (factor * mentions + PRIOR_MENTIONS) / (mentions + PRIOR_MENTIONS);
    }

    /**
     * The most surprising coarse sum ({@link #SUM_BLOCKS}) that includes the window [start, end)
     * with the given count, under the expectation of that window. The sum's spread depends on how
     * many windows it holds so far ({@link #partialDispersion}). Null for a key not seen before.
     */
    public Sum sum(BaselineState s, long start, long end, long observed, Expectation e) {
        ensureSums(s);
        Sum best = null;
        for (int r = 0; r < SUM_BLOCKS.length; r++) {
            long block = SUM_BLOCKS[r].toMillis();
            long blockStart = Math.floorDiv(start, block) * block;
            long[] o = {0};
            double[] x = {0};
            long width = end - start;
            addToSum(s, r, blockStart, start, width, observed, e.mean(), o, x);
            long from = Math.max(blockStart, s.windows == 0 ? start : s.firstWindowStart);
            double tail =
                    CountTail.upper(
                            o[0],
                            x[0],
                            sumDispersion(
                                    s,
                                    r,
                                    e,
                                    windowsIn(end - from, width),
                                    width > 0 ? block / width : 1));
            if (best == null || tail < best.tail()) {
                best = new Sum(block, o[0], x[0], tail);
            }
        }
        return best;
    }

    /**
     * The over-dispersion of a block's running sum of {@code windows} of its {@code blockWindows}
     * windows: between the window's and the block's own (measured on the key's completed blocks by
     * moments, as for windows, and blended with the window's while few blocks are seen), plus the
     * uncertainty of the mean, which does not average out over a block.
     */
    private static double sumDispersion(
            BaselineState s, int r, Expectation e, long windows, long blockWindows) {
        double window = Math.max(0.0, e.dispersion() - e.uncertainty());
        double measured =
                s.sumMeanSquare[r] > 0
                        ? Math.min(
                                MAX_DISPERSION,
                                Math.max(0.0, s.sumExcessVariance[r] / s.sumMeanSquare[r]))
                        : window;
        double n = s.sumBlocks[r];
        double blended = (n * measured + PRIOR_BLOCKS * window) / (n + PRIOR_BLOCKS);
        return Math.min(
                MAX_DISPERSION,
                partialDispersion(window, blended, windows, blockWindows) + e.uncertainty());
    }

    /**
     * The over-dispersion of a sum of the first {@code k} of a block's {@code blockWindows} (K)
     * windows, given the window's φ_w and the whole block's φ_B. Each window's relative variance
     * beyond Poisson is a part of its own, which averages out over k windows (a sum of k
     * independent NB2 counts of one mean has φ/k), and a part shared by the block (a baseline error
     * that lasts for hours), which does not: φ_k = φ_own / k + φ_shared with φ_own + φ_shared = φ_w
     * and φ_own / K + φ_shared = φ_B. So the first windows of a block are judged by the window's
     * spread and the whole block by its own, however much smaller that is: the block's spread
     * applied to a sum of one window would take ordinary noise of an over-dispersed key for an
     * extreme hour.
     */
    static double partialDispersion(double window, double block, long k, long blockWindows) {
        if (blockWindows <= 1) {
            return block;
        }
        long n = Math.max(1, Math.min(k, blockWindows));
        double own = (window - block) * blockWindows / (blockWindows - 1.0);
        return Math.max(0.0, block + own * (1.0 / n - 1.0 / blockWindows));
    }

    /** Windows of the given width in a span, at least one. */
    private static long windowsIn(long span, long width) {
        return width > 0 ? Math.max(1, (span + width - 1) / width) : 1;
    }

    /** Learns a block's dispersion from its completed sum, winsorized like window counts. */
    private void learnBlock(BaselineState s, int r, long width) {
        double expected = s.sumExpected[r];
        if (!(expected > 0)) {
            return;
        }
        double phi = s.sumMeanSquare[r] > 0 ? s.sumExcessVariance[r] / s.sumMeanSquare[r] : 0;
        double sd = Math.sqrt(expected + Math.max(0, phi) * expected * expected);
        double x = Math.min(s.sumObserved[r], expected + settings.clipSigmas() * sd);
        double alpha =
                Math.max(
                        rate(SUM_BLOCKS[r].toMillis(), settings.seasonHalfLife()),
                        1.0 / (s.sumBlocks[r] + 1));
        s.sumExcessVariance[r] +=
                alpha * ((x - expected) * (x - expected) - expected - s.sumExcessVariance[r]);
        s.sumMeanSquare[r] += alpha * (expected * expected - s.sumMeanSquare[r]);
        s.sumBlocks[r] = Math.min(SEEN_CAP, s.sumBlocks[r] + 1);
    }

    /** A state restored from before the coarse sums gets empty ones. */
    private static void ensureSums(BaselineState s) {
        if (s.sumBlock == null || s.sumBlock.length != SUM_BLOCKS.length) {
            s.sumBlock = new long[SUM_BLOCKS.length];
            s.sumObserved = new long[SUM_BLOCKS.length];
            s.sumExpected = new double[SUM_BLOCKS.length];
        }
        if (s.sumBlocks == null || s.sumBlocks.length != SUM_BLOCKS.length) {
            s.sumExcessVariance = new double[SUM_BLOCKS.length];
            s.sumMeanSquare = new double[SUM_BLOCKS.length];
            s.sumBlocks = new int[SUM_BLOCKS.length];
        }
    }

    /**
     * The block's observed and expected sums with the window added: windows missing since the last
     * one seen (inside the block) count as zero mentions expected at this window's mean.
     */
    private static void addToSum(
            BaselineState s,
            int r,
            long blockStart,
            long start,
            long width,
            long observed,
            double mean,
            long[] sumObserved,
            double[] sumExpected) {
        boolean sameBlock = s.windows > 0 && s.sumBlock[r] == blockStart;
        long from = s.windows == 0 ? start : Math.max(blockStart, s.lastWindowEnd);
        long missing = width > 0 && start > from ? (start - from) / width : 0;
        sumObserved[0] = (sameBlock ? s.sumObserved[r] : 0) + observed;
        sumExpected[0] = (sameBlock ? s.sumExpected[r] : 0) + (missing + 1) * mean;
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
        ensureSums(s);
        Expectation before = expect(s, start, end);
        double mean = before.mean();
        boolean warm = before.warm();
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
        for (int r = 0; r < SUM_BLOCKS.length; r++) {
            long block = SUM_BLOCKS[r].toMillis();
            long blockStart = Math.floorDiv(start, block) * block;
            long[] o = {0};
            double[] x = {0};
            if (s.windows > 0 && s.sumBlock[r] != blockStart && warm) {
                learnBlock(s, r, width);
            }
            addToSum(s, r, blockStart, start, width, observed, mean, o, x);
            s.sumBlock[r] = blockStart;
            s.sumObserved[r] = o[0];
            s.sumExpected[r] = x[0];
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
