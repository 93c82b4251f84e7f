package io.echolot.tools;

import io.echolot.detect.SpikeAlert;
import io.echolot.detect.SpikeSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate-spikes}: the detection's defaults on synthetic mention counts whose truth is
 * known, as a check that does not depend on any labelled file. Per volume and over-dispersion it
 * generates negative-binomial counts (gamma-Poisson) with a daily (±50 %) and weekly (weekends
 * ×0.7) cycle and runs {@link EvaluateSpikesCommand#detect} on them: spike-free series give the
 * false alarms per day after the warm-up; series with injected spikes (×3, ×5, ×10 of the expected
 * count for three windows, decaying) give the share detected within 6 hours and the detection
 * delay; series whose level doubles for good give the alerts a level shift raises.
 */
@Command(
        name = "simulate-spikes",
        mixinStandardHelpOptions = true,
        description =
                "Runs the spike detection (defaults) on synthetic seasonal count series with"
                        + " injected spikes and level shifts and prints false alarms and delays.")
final class SimulateSpikesCommand implements Callable<Integer> {

    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    static final double[] LEVELS = {1, 5, 20, 100, 500};
    static final double[] DISPERSIONS = {0, 0.05, 0.2};
    static final double[] FACTORS = {3, 5, 10};
    static final double[] SHAPE = {1.0, 0.7, 0.4};
    static final Duration DETECT_WITHIN = Duration.ofHours(6);

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--days", defaultValue = "28", description = "Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--seeds", defaultValue = "2", description = "Series per setting and kind.")
    int seeds;

    @Option(
            names = "--window",
            defaultValue = "5 min",
            converter = DurationConverter.class,
            description = "Window length. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(
            names = "--levels",
            split = ",",
            description =
                    "Mean mentions per window to simulate, comma-separated (e.g. 0.1,0.3,1,3 for"
                            + " quiet keys). Default: 1,5,20,100,500.")
    double[] levels = LEVELS;

    @Option(
            names = "--dispersions",
            split = ",",
            description = "Over-dispersions φ to simulate. Default: 0,0.05,0.2.")
    double[] dispersions = DISPERSIONS;

    @Option(
            names = "--spike-length",
            converter = DurationConverter.class,
            description =
                    "A spike keeps its factor flat for this long (a quiet key's story: e.g. 1 h)."
                            + " Default: three windows, decaying 1, 0.7, 0.4.")
    Duration spikeLength;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--repeated-tail",
            description =
                    "Tail of each window of the repeated pattern (e.g. 1e-300 to compare without"
                            + " it). Default: the detection default.")
    Double repeatedTail;

    /** The defaults, with the repeated pattern's tail from the command line. */
    SpikeSettings settings() {
        SpikeSettings d = SpikeSettings.defaults();
        return SpikeSettings.standard(
                d.baseline(),
                SpikeSettings.EXTREME_TAIL,
                SpikeSettings.RISING_TAIL,
                repeatedTail == null ? SpikeSettings.REPEATED_TAIL : repeatedTail,
                SpikeSettings.MIN_COUNT,
                SpikeSettings.MIN_RATIO,
                SpikeSettings.COOLDOWN);
    }

    /** One generated series and where its events are. */
    record Synthetic(
            EvaluateSpikesCommand.Series series,
            String kind,
            double level,
            double dispersion,
            List<Long> spikeStarts,
            List<Double> spikeFactors) {}

    @Override
    public Integer call() throws Exception {
        if (days < 8) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--days must be at least 8 (warm-up plus spikes)");
        }
        List<Synthetic> all = new ArrayList<>();
        long seed = 1;
        for (double level : levels) {
            for (double phi : dispersions) {
                for (int s = 0; s < seeds; s++) {
                    for (String kind : List.of("clean", "spikes", "shift")) {
                        all.add(generate(kind, level, phi, days, window, spikeShape(), seed++));
                    }
                }
            }
        }
        List<EvaluateSpikesCommand.Series> series = all.stream().map(Synthetic::series).toList();
        EvaluateSpikesCommand.Detections d =
                EvaluateSpikesCommand.detect(series, settings(), parallelism);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%8s %6s %14s %10s %10s %10s %12s %13s%n",
                "level",
                "phi",
                "false/day",
                "x3 found",
                "x5 found",
                "x10 found",
                "median delay",
                "shift alerts");
        long warmUp = settings().baseline().warmUp().toMillis();
        int totalFalse = 0;
        double totalDays = 0;
        for (double level : levels) {
            for (double phi : dispersions) {
                int falseAlarms = 0;
                double cleanDays = 0;
                int[] found = new int[FACTORS.length];
                int[] injected = new int[FACTORS.length];
                List<Long> delays = new ArrayList<>();
                int shiftAlerts = 0;
                int shiftSeries = 0;
                for (Synthetic syn : all) {
                    if (syn.level() != level || syn.dispersion() != phi) {
                        continue;
                    }
                    List<SpikeAlert> alerts = alertsOf(d, syn.series().file());
                    switch (syn.kind()) {
                        case "clean" -> {
                            falseAlarms += alerts.size();
                            cleanDays += (days * Duration.ofDays(1).toMillis() - warmUp) / 86.4e6;
                        }
                        case "spikes" -> {
                            for (int i = 0; i < syn.spikeStarts().size(); i++) {
                                long start = syn.spikeStarts().get(i);
                                int f = indexOf(syn.spikeFactors().get(i));
                                injected[f]++;
                                alerts.stream()
                                        .map(a -> a.windowEnd().toEpochMilli())
                                        .filter(
                                                e ->
                                                        e > start
                                                                && e
                                                                        <= start
                                                                                + DETECT_WITHIN
                                                                                        .toMillis())
                                        .min(Long::compare)
                                        .ifPresent(
                                                e -> {
                                                    found[f]++;
                                                    delays.add(e - start);
                                                });
                            }
                        }
                        default -> {
                            shiftAlerts += alerts.size();
                            shiftSeries++;
                        }
                    }
                }
                totalFalse += falseAlarms;
                totalDays += cleanDays;
                delays.sort(Long::compare);
                out.printf(
                        "%8s %6.2f %14.4f %10s %10s %10s %12s %13s%n",
                        BigDecimalText.of(level),
                        phi,
                        falseAlarms / cleanDays,
                        found[0] + "/" + injected[0],
                        found[1] + "/" + injected[1],
                        found[2] + "/" + injected[2],
                        delays.isEmpty()
                                ? "-"
                                : Duration.ofMillis(delays.get(delays.size() / 2)).toMinutes()
                                        + " min",
                        shiftAlerts + "/" + shiftSeries);
            }
        }
        out.printf(
                "false alarms on spike-free series: %d in %.0f key-days (%.4f per key and day)%n",
                totalFalse, totalDays, totalFalse / totalDays);
        out.flush();
        return 0;
    }

    /** A level as written on the command line: 0.1, 3, 500. */
    static final class BigDecimalText {
        private BigDecimalText() {}

        static String of(double value) {
            return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }

    private static int indexOf(double factor) {
        for (int i = 0; i < FACTORS.length; i++) {
            if (FACTORS[i] == factor) {
                return i;
            }
        }
        throw new IllegalArgumentException("factor " + factor);
    }

    private static List<SpikeAlert> alertsOf(EvaluateSpikesCommand.Detections d, String brand) {
        return d.alerts().stream().filter(a -> a.brand().equals(brand)).toList();
    }

    /** The multipliers of a spike's windows, relative to its factor − 1. */
    double[] spikeShape() {
        if (spikeLength == null) {
            return SHAPE;
        }
        int n = (int) Math.max(1, spikeLength.toMillis() / window.toMillis());
        double[] flat = new double[n];
        java.util.Arrays.fill(flat, 1.0);
        return flat;
    }

    /** The expected count of window i of a series with the given level (daily and weekly cycle). */
    static double expected(double level, long startMillis) {
        double hours = (startMillis % 86_400_000L) / 3.6e6;
        double daily = 1 + 0.5 * Math.sin(2 * Math.PI * (hours / 24.0 - 0.375));
        int dayOfWeek = (int) Math.floorMod(Math.floorDiv(startMillis, 86_400_000L) + 3, 7L);
        double weekly = dayOfWeek >= 5 ? 0.7 : 1.0; // T0 is a Monday: days 5 and 6 are weekends
        return level * daily * weekly;
    }

    /**
     * One series: "clean", "spikes" (one spike every 5 days from day 7, at a random time of day,
     * factors cycling through ×3, ×5, ×10) or "shift" (the level doubles in the middle, for good).
     */
    static Synthetic generate(
            String kind,
            double level,
            double phi,
            int days,
            Duration window,
            double[] shape,
            long seed) {
        Random random = new Random(seed);
        long width = window.toMillis();
        int n = (int) (Duration.ofDays(days).toMillis() / width);
        long[] times = new long[n];
        long[] values = new long[n];
        double[] multiplier = new double[n];
        java.util.Arrays.fill(multiplier, 1.0);
        List<Long> starts = new ArrayList<>();
        List<Double> factors = new ArrayList<>();
        if (kind.equals("spikes")) {
            int perDay = (int) (Duration.ofDays(1).toMillis() / width);
            int k = 0;
            for (int day = 7; day < days - 1; day += 5) {
                int at = day * perDay + random.nextInt(perDay);
                double factor = FACTORS[k++ % FACTORS.length];
                for (int j = 0; j < shape.length && at + j < n; j++) {
                    multiplier[at + j] = 1 + (factor - 1) * shape[j];
                }
                starts.add(T0.toEpochMilli() + at * width);
                factors.add(factor);
            }
        } else if (kind.equals("shift")) {
            for (int i = n / 2; i < n; i++) {
                multiplier[i] = 2.0;
            }
        }
        for (int i = 0; i < n; i++) {
            times[i] = T0.toEpochMilli() + i * width;
            values[i] = negativeBinomial(random, expected(level, times[i]) * multiplier[i], phi);
        }
        String name = String.format("%s-%s-%.2f-%d", kind, BigDecimalText.of(level), phi, seed);
        String[] stamps = new String[n];
        for (int i = 0; i < n; i++) {
            stamps[i] = Instant.ofEpochMilli(times[i]).toString();
        }
        return new Synthetic(
                new EvaluateSpikesCommand.Series(name, stamps, times, values, width),
                kind,
                level,
                phi,
                starts,
                factors);
    }

    /** NB2 with the given mean and dispersion φ (variance μ + φμ²) as a gamma-Poisson mixture. */
    static long negativeBinomial(Random random, double mean, double phi) {
        double rate = phi > 0 ? gamma(random, 1 / phi) * phi * mean : mean;
        return poisson(random, rate);
    }

    private static long poisson(Random random, double mean) {
        if (mean > 30) {
            // exact: a Poisson count is the sum of Poisson counts of parts of its mean
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
}
