package io.echolot.detect;

import io.echolot.model.EngagementTotals;
import io.echolot.model.SentimentStats;
import io.echolot.model.WindowAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/** Deterministic synthetic window counts: Poisson noise around a given mean per window. */
public final class SyntheticCounts {

    public static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private SyntheticCounts() {}

    /** Poisson counts of {@code windows} windows with mean {@code mean(i)}, seeded. */
    public static long[] poisson(int windows, IntToDoubleFunction mean, long seed) {
        Random random = new Random(seed);
        long[] counts = new long[windows];
        for (int i = 0; i < windows; i++) {
            double limit = Math.exp(-mean.applyAsDouble(i));
            long k = 0;
            double p = random.nextDouble();
            while (p > limit) {
                k++;
                p *= random.nextDouble();
            }
            counts[i] = k;
        }
        return counts;
    }

    /**
     * Negative-binomial counts (NB2: variance μ + φμ², a gamma-Poisson mixture with a gamma draw
     * per window, so windows are over-dispersed independently of each other), seeded.
     */
    public static long[] negativeBinomial(
            int windows, IntToDoubleFunction mean, double dispersion, long seed) {
        Random random = new Random(seed);
        long[] counts = new long[windows];
        for (int i = 0; i < windows; i++) {
            double rate = gamma(random, 1 / dispersion) * dispersion * mean.applyAsDouble(i);
            counts[i] = poisson(random, rate);
        }
        return counts;
    }

    private static long poisson(Random random, double mean) {
        if (mean > 30) {
            // a Poisson count is the sum of Poisson counts of the parts of its mean
            return poisson(random, mean / 2) + poisson(random, mean / 2);
        }
        double limit = Math.exp(-mean);
        long k = 0;
        double p = random.nextDouble();
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    /** Gamma(shape, 1) (Marsaglia and Tsang). */
    private static double gamma(Random random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** A daily cycle around {@code level}: ±50 %, peaking in the afternoon (UTC). */
    public static IntToDoubleFunction daily(double level) {
        return i -> level * (1 + 0.5 * Math.sin(2 * Math.PI * (i / 288.0 - 0.375)));
    }

    /** The window aggregates of the counts, from {@link #T0}. */
    public static List<WindowAggregate> aggregates(String brand, long[] counts) {
        List<WindowAggregate> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            out.add(aggregate(brand, i, counts[i]));
        }
        return out;
    }

    /** The aggregate of window i (from {@link #T0}) with the given count. */
    public static WindowAggregate aggregate(String brand, int i, long count) {
        Instant start = T0.plus(WINDOW.multipliedBy(i));
        return new WindowAggregate(
                brand,
                WindowAggregate.ALL_TOPICS,
                start,
                start.plus(WINDOW),
                count,
                0,
                0,
                0,
                new EngagementTotals(0, 0, 0, 0, 0),
                new SentimentStats(0, null, 0, 0, 0),
                Map.of(),
                Map.of(),
                List.of());
    }
}
