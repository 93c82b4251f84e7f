package io.echolot.tools;

import io.echolot.detect.BaselineSettings;
import io.echolot.detect.SpikeAlert;
import io.echolot.detect.SpikeDetection;
import io.echolot.detect.SpikeScore;
import io.echolot.detect.SpikeSettings;
import io.echolot.model.EngagementTotals;
import io.echolot.model.SentimentStats;
import io.echolot.model.WindowAggregate;
import io.echolot.tools.nab.NabFiles;
import io.echolot.tools.nab.NabProfile;
import io.echolot.tools.nab.NabScore;
import io.echolot.tools.nab.NabScorer;
import io.echolot.tools.nab.NabWindow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate-spikes}: runs the job's spike detection ({@link SpikeDetection}, default
 * settings) over count series on an in-process Flink, one key per file, and writes per row the
 * anomaly score (1.0 where an alert opens, else the surprise) and the label. With {@code --windows}
 * (NAB {@code windows.json}) it prints the NAB scores per file and in total.
 */
@Command(
        name = "evaluate-spikes",
        mixinStandardHelpOptions = true,
        description =
                "Runs the spike detection over CSV count series (timestamp,value) and scores it the"
                        + " NAB way.")
final class EvaluateSpikesCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--in",
            required = true,
            description =
                    "Directory of *.csv files: timestamp,value, one count per fixed interval.")
    Path in;

    @Option(
            names = "--out",
            required = true,
            description = "Directory for echolot_<file>: timestamp,value,anomaly_score,label.")
    Path out;

    @Option(
            names = "--windows",
            description = "NAB windows.json (file name → [[start, end], …]); enables scoring.")
    Path windows;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--list-alerts",
            description = "Also print every alert: detection window, trigger, counts, label.")
    boolean listAlerts;

    @Option(
            names = "--extreme-tail",
            description =
                    "Calibrated tail probability at or below which one window alone opens an"
                            + " alert. Default: the detection default.")
    Double extremeTail;

    @Option(
            names = "--rising-tail",
            description = "The same for each window of the rising pattern.")
    Double risingTail;

    @Option(
            names = "--repeated-tail",
            description =
                    "The same for each window of the repeated pattern."
                            + " Default: the detection default.")
    Double repeatedTail;

    @Option(
            names = "--calibration-half-life",
            converter = DurationConverter.class,
            description = "Of the per-key tail calibration; 0 turns it off.")
    Duration calibrationHalfLife;

    @Option(
            names = "--min-count",
            description = "Minimum mentions of a matched window (or of its coarse sum).")
    Long minCount;

    @Option(names = "--min-ratio", description = "Minimum observed / expected of a match.")
    Double minRatio;

    @Option(
            names = "--cooldown",
            converter = DurationConverter.class,
            description = "Quiet period that makes one incident one alert.")
    Duration cooldown;

    @Option(
            names = "--level-half-life",
            converter = DurationConverter.class,
            description = "Half-life of the baseline's recent level.")
    Duration levelHalfLife;

    @Option(
            names = "--season-half-life",
            converter = DurationConverter.class,
            description = "Half-life of the baseline's daily and weekly profiles.")
    Duration seasonHalfLife;

    @Option(
            names = "--dispersion-half-life",
            converter = DurationConverter.class,
            description = "Half-life of the baseline's over-dispersion estimate.")
    Duration dispersionHalfLife;

    @Option(names = "--clip-sigmas", description = "Winsorizing of baseline updates.")
    Double clipSigmas;

    @Option(
            names = "--thin",
            split = ",",
            defaultValue = "1",
            description =
                    "Thinning fractions F, comma-separated: every count is replaced by a binomial"
                            + " draw with probability F (fixed seed), a quieter series with the"
                            + " same labelled windows. Each F is scored on its own."
                            + " Default: ${DEFAULT-VALUE}.")
    List<Double> thin;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the thinning draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--leave-one-out",
            split = ",",
            description =
                    "Extreme-window tails to choose from, comma-separated (e.g."
                            + " 1e-8,1e-10,1e-12): per thinning fraction, each file is scored with"
                            + " the tail that gives the best NAB standard score on the other"
                            + " files. Needs --windows.")
    List<Double> leaveOneOut;

    /** The defaults with the options given on the command line. */
    SpikeSettings settings() {
        return settings(extremeTail);
    }

    /** {@link #settings()} with the extreme tail given (null: the option's or the default). */
    SpikeSettings settings(Double extreme) {
        BaselineSettings b = BaselineSettings.defaults();
        return SpikeSettings.standard(
                new BaselineSettings(
                        b.warmUp(),
                        levelHalfLife == null ? b.levelHalfLife() : levelHalfLife,
                        seasonHalfLife == null ? b.seasonHalfLife() : seasonHalfLife,
                        dispersionHalfLife == null ? b.dispersionHalfLife() : dispersionHalfLife,
                        clipSigmas == null ? b.clipSigmas() : clipSigmas,
                        calibrationHalfLife == null ? b.calibrationHalfLife() : calibrationHalfLife,
                        b.idleTimeout()),
                extreme != null
                        ? extreme
                        : extremeTail == null ? SpikeSettings.EXTREME_TAIL : extremeTail,
                risingTail == null ? SpikeSettings.RISING_TAIL : risingTail,
                repeatedTail == null ? SpikeSettings.REPEATED_TAIL : repeatedTail,
                minCount == null ? SpikeSettings.MIN_COUNT : minCount,
                minRatio == null ? SpikeSettings.MIN_RATIO : minRatio,
                cooldown == null ? SpikeSettings.COOLDOWN : cooldown);
    }

    /** One series read from a CSV file. */
    record Series(String file, String[] timestamps, long[] times, long[] values, long interval) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        List<Series> series = new ArrayList<>();
        try (Stream<Path> files = Files.list(in)) {
            for (Path f :
                    files.filter(p -> p.getFileName().toString().endsWith(".csv"))
                            .sorted()
                            .toList()) {
                series.add(read(f));
            }
        }
        if (series.isEmpty()) {
            spec.commandLine().getErr().println("no *.csv files in " + in);
            return 2;
        }
        Map<String, List<NabWindow>> labelled =
                windows == null ? Map.of() : NabFiles.readWindows(windows);
        for (double f : thin) {
            if (!(f > 0 && f <= 1)) {
                spec.commandLine().getErr().println("--thin must be in (0, 1]: " + f);
                return 2;
            }
        }
        Files.createDirectories(out);
        for (double f : thin) {
            List<Series> thinned = series.stream().map(s -> thin(s, f, seed)).toList();
            if (thin.size() > 1 || f < 1) {
                console.printf("thinned to F = %s (seed %d)%n", f, seed);
            }
            evaluate(console, thinned, f, labelled, detect(thinned, settings(), parallelism));
            if (leaveOneOut != null && !leaveOneOut.isEmpty() && windows != null) {
                leaveOneOut(console, thinned, labelled);
            }
        }
        console.flush();
        return 0;
    }

    /**
     * Held-out scores: every candidate tail is run over all files; each file is then scored with
     * the candidate whose standard score on the other files is best (the first on a tie), so no
     * file's own labels choose its setting.
     */
    private void leaveOneOut(
            PrintWriter console, List<Series> series, Map<String, List<NabWindow>> labelled)
            throws Exception {
        List<List<NabScore>> byCandidate = new ArrayList<>();
        for (double candidate : leaveOneOut) {
            Detections d = detect(series, settings(candidate), parallelism);
            List<NabScore> perFile = new ArrayList<>();
            for (Series s : series) {
                perFile.add(
                        NabScorer.score(
                                s.times(),
                                d.alertRows(s),
                                labelled.getOrDefault(s.file(), List.of()),
                                NabProfile.STANDARD));
            }
            byCandidate.add(perFile);
        }
        List<NabScore> heldOut = new ArrayList<>();
        StringBuilder chosen = new StringBuilder();
        for (int file = 0; file < series.size(); file++) {
            int best = 0;
            double bestRaw = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < leaveOneOut.size(); c++) {
                double raw = 0;
                for (int other = 0; other < series.size(); other++) {
                    raw += other == file ? 0 : byCandidate.get(c).get(other).raw();
                }
                if (raw > bestRaw) {
                    bestRaw = raw;
                    best = c;
                }
            }
            heldOut.add(byCandidate.get(best).get(file));
            chosen.append(' ')
                    .append(series.get(file).file())
                    .append('=')
                    .append(leaveOneOut.get(best));
        }
        NabScore total = NabScore.sum(NabProfile.STANDARD, heldOut);
        console.printf(
                "leave-one-file-out standard %.2f, hit %d/%d, outside %d; extreme tail per held-out"
                        + " file:%s%n",
                total.normalised(),
                total.windowsHit(),
                total.windows(),
                total.detectionsOutside(),
                chosen);
    }

    /**
     * Each count replaced by a Binomial(count, fraction) draw: the same story at a smaller share of
     * its mentions, so the labelled windows stay valid while the series gets quieter. The draws
     * depend only on the seed, the file and the fraction.
     */
    static Series thin(Series s, double fraction, long seed) {
        if (fraction >= 1) {
            return s;
        }
        Random random =
                new Random(
                        seed * 1_000_003L + s.file().hashCode() * 31L + Double.hashCode(fraction));
        long[] values = new long[s.values().length];
        for (int i = 0; i < values.length; i++) {
            long kept = 0;
            for (long j = 0; j < s.values()[i]; j++) {
                kept += random.nextDouble() < fraction ? 1 : 0;
            }
            values[i] = kept;
        }
        return new Series(s.file(), s.timestamps(), s.times(), values, s.interval());
    }

    /** Writes the rows and prints the NAB scores of one run over all series. */
    private void evaluate(
            PrintWriter console,
            List<Series> series,
            double fraction,
            Map<String, List<NabWindow>> labelled,
            Detections detections)
            throws IOException {
        Map<NabProfile, List<NabScore>> totals = new LinkedHashMap<>();
        if (windows != null) {
            console.printf(
                    "%-32s %9s %9s %9s %6s %8s %7s%n",
                    "file", "standard", "low_FP", "low_FN", "hit", "outside", "alerts");
        }
        for (Series s : series) {
            List<NabWindow> ws = labelled.getOrDefault(s.file(), List.of());
            boolean[] alerts = detections.alertRows(s);
            double[] scores = detections.scoreRows(s);
            write(s, fraction, alerts, scores, ws);
            if (windows != null) {
                Map<NabProfile, NabScore> byProfile = new LinkedHashMap<>();
                for (NabProfile p : NabProfile.ALL) {
                    NabScore score = NabScorer.score(s.times(), alerts, ws, p);
                    byProfile.put(p, score);
                    totals.computeIfAbsent(p, k -> new ArrayList<>()).add(score);
                }
                print(console, s.file(), byProfile, count(alerts));
            }
            if (listAlerts) {
                for (SpikeAlert a : detections.alerts()) {
                    if (a.brand().equals(brandOf(s))) {
                        long t = a.windowStart().toEpochMilli();
                        boolean label = ws.stream().anyMatch(x -> t >= x.start() && t <= x.end());
                        console.printf(
                                "  alert %s %-15s observed %d expected %.1f tail %.2e key tail %.2e"
                                        + " windows %d label %d%n",
                                a.windowStart(),
                                a.trigger(),
                                a.observed(),
                                a.expected(),
                                a.tailProbability(),
                                1 - a.surprise(),
                                a.windows(),
                                label ? 1 : 0);
                    }
                }
            }
        }
        if (windows != null) {
            Map<NabProfile, NabScore> total = new LinkedHashMap<>();
            totals.forEach((p, list) -> total.put(p, NabScore.sum(p, list)));
            print(console, "total", total, detections.alerts().size());
        }
    }

    private static void print(
            PrintWriter console, String name, Map<NabProfile, NabScore> scores, int alerts) {
        NabScore std = scores.get(NabProfile.STANDARD);
        console.printf(
                "%-32s %9.2f %9.2f %9.2f %3d/%-2d %8d %7d%n",
                name,
                std.normalised(),
                scores.get(NabProfile.REWARD_LOW_FP).normalised(),
                scores.get(NabProfile.REWARD_LOW_FN).normalised(),
                std.windowsHit(),
                std.windows(),
                std.detectionsOutside(),
                alerts);
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** What the detection emitted, by key. */
    record Detections(List<SpikeScore> scores, List<SpikeAlert> alerts) {

        boolean[] alertRows(Series s) {
            Set<Long> starts = new HashSet<>();
            for (SpikeAlert a : alerts) {
                if (a.brand().equals(brandOf(s))) {
                    starts.add(a.windowStart().toEpochMilli());
                }
            }
            boolean[] flags = new boolean[s.times().length];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = starts.contains(s.times()[i]);
            }
            return flags;
        }

        double[] scoreRows(Series s) {
            Map<Long, Double> byStart = new HashMap<>();
            for (SpikeScore score : scores) {
                if (score.brand().equals(brandOf(s))) {
                    byStart.put(score.windowStart().toEpochMilli(), score.surprise());
                }
            }
            double[] values = new double[s.times().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = byStart.getOrDefault(s.times()[i], 0.0);
            }
            return values;
        }
    }

    /** The brand of a series' key: its file name; the topic is {@code all}. */
    static String brandOf(Series s) {
        return s.file();
    }

    /**
     * Runs the counts through {@link SpikeDetection#apply} on an in-process Flink: every row a
     * window aggregate [t, t + interval) with its event time at the window's last millisecond, all
     * series merged in time order so that the watermark never overtakes a row.
     */
    static Detections detect(List<Series> series, SpikeSettings settings, int parallelism)
            throws Exception {
        List<WindowAggregate> rows = new ArrayList<>();
        for (Series s : series) {
            for (int i = 0; i < s.times().length; i++) {
                rows.add(aggregate(brandOf(s), s.times()[i], s.interval(), s.values()[i]));
            }
        }
        rows.sort(
                Comparator.comparing(WindowAggregate::windowEnd)
                        .thenComparing(WindowAggregate::brand));

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataStream<WindowAggregate> aggregates =
                env.fromData(rows, TypeInformation.of(WindowAggregate.class))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<WindowAggregate>forMonotonousTimestamps()
                                        .withTimestampAssigner(new WindowEndTimestamp()))
                        .setParallelism(1)
                        .name("csv-counts");
        SpikeDetection.Result result = SpikeDetection.apply(aggregates, settings);
        InProcessSink<SpikeScore> scores = new InProcessSink<>();
        InProcessSink<SpikeAlert> alerts = new InProcessSink<>();
        result.scores().sinkTo(scores).name("scores");
        result.alerts().sinkTo(alerts).name("alerts");
        env.execute("evaluate-spikes");
        return new Detections(scores.drain(), alerts.drain());
    }

    static WindowAggregate aggregate(String brand, long start, long interval, long count) {
        return new WindowAggregate(
                brand,
                WindowAggregate.ALL_TOPICS,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + interval),
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

    /** Event time of a window aggregate: its window's last millisecond, as the window emits it. */
    static final class WindowEndTimestamp
            implements SerializableTimestampAssigner<WindowAggregate> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(WindowAggregate element, long recordTimestamp) {
            return element.windowEnd().toEpochMilli() - 1;
        }
    }

    /** Reads {@code timestamp,value} rows; the interval is the smallest step between rows. */
    static Series read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> stamps = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            int comma = l.indexOf(',');
            if (comma < 0) {
                throw new IOException(file + ": not timestamp,value: " + l);
            }
            String stamp = l.substring(0, comma).strip();
            String value = l.substring(comma + 1).strip();
            if (times.isEmpty() && stamp.equalsIgnoreCase("timestamp")) {
                continue;
            }
            stamps.add(stamp);
            times.add(NabFiles.parseTimestamp(stamp));
            values.add(Math.round(Double.parseDouble(value)));
        }
        long[] t = times.stream().mapToLong(Long::longValue).toArray();
        long interval = Long.MAX_VALUE;
        for (int i = 1; i < t.length; i++) {
            if (t[i] <= t[i - 1]) {
                throw new IOException(file + ": timestamps must increase (row " + (i + 2) + ")");
            }
            interval = Math.min(interval, t[i] - t[i - 1]);
        }
        if (interval == Long.MAX_VALUE) {
            interval = Duration.ofMinutes(5).toMillis();
        }
        return new Series(
                file.getFileName().toString(),
                stamps.toArray(String[]::new),
                t,
                values.stream().mapToLong(Long::longValue).toArray(),
                interval);
    }

    private void write(
            Series s, double fraction, boolean[] alerts, double[] scores, List<NabWindow> ws)
            throws IOException {
        Path target =
                out.resolve("echolot_" + (fraction < 1 ? "thin" + fraction + "_" : "") + s.file());
        try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,anomaly_score,label\n");
            for (int i = 0; i < s.times().length; i++) {
                long t = s.times()[i];
                boolean label = ws.stream().anyMatch(x -> t >= x.start() && t <= x.end());
                w.write(
                        s.timestamps()[i]
                                + ','
                                + s.values()[i]
                                + ','
                                + (alerts[i] ? "1.0" : Double.toString(scores[i]))
                                + ','
                                + (label ? '1' : '0')
                                + '\n');
            }
        }
    }
}
