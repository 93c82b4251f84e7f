package io.echolot.tools;

import io.echolot.alert.AlertSignal;
import io.echolot.detect.SpikeAlert;
import io.echolot.detect.SpikeSettings;
import io.echolot.explain.EmergingTopics;
import io.echolot.explain.EmergingTopicsOperator;
import io.echolot.explain.RuleVocabulary;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.ScopedMention;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Measures the emerging-topic detector ({@link EmergingTopics}, the job's defaults: 15-minute
 * buckets, 672-bucket memory, 5 posts) on synthetic brands from quiet to busy: false alerts per
 * brand-day on organic traffic, and for a planted story no rule watches (a novel term rising over
 * an hour) whether and when it is found, against when the job's viral-spike detection ({@link
 * EvaluateSpikesCommand#detect}, default settings, 1-minute windows) alerts on the brand's volume.
 * Also CPU per mention and snapshot bytes per brand.
 *
 * <p>Organic traffic: per minute a Poisson count at the level times a daily cycle (0.3 to 1.7)
 * times an hourly gamma factor (dispersion 0.3); each post 8 words drawn Zipf-like (exponent 1.07)
 * from 20,000 words, by one of 5,000 regular authors or a new one (30 %). The story: from day 3,
 * 10:00, posts with two novel words and organic ones, by new authors, ramping linearly from 0 to
 * {@code factor × level} (at least 0.5) per minute over 60 minutes, then steady for 60 minutes.
 *
 * <pre>
 * java -cp tools/target/classes:tools/target/test-classes:$(cat cp.txt) \
 *     io.echolot.tools.EmergingTopicsBenchmark 3 2     # seeds, story factor
 * </pre>
 */
public final class EmergingTopicsBenchmark {

    private static final long MINUTE = 60_000;
    private static final long DAY = 1_440 * MINUTE;
    private static final int VOCABULARY = 20_000;
    private static final double[] LEVELS = {0.1, 1, 10, 100};
    private static final int ORGANIC_DAYS = 9;
    private static final int WARMUP_DAYS = 2;
    private static final int STORY_DAY = 3;

    private static int volumeBefore;

    /** The story's peak rate in multiples of the brand's level. */
    private static double storyFactor;

    private EmergingTopicsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        storyFactor = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        double[] zipf = zipf(VOCABULARY, 1.07);
        System.out.println(
                "| mentions/min | brand-days | false emerging alerts | per brand-day | story found"
                        + " | found after (min) | story posts by then | volume alert after (min) |"
                        + " lead (min) | CPU µs/mention | state bytes/brand |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (double level : LEVELS) {
            long falseAlerts = 0;
            int found = 0;
            List<Double> foundAfter = new ArrayList<>();
            List<Double> postsBy = new ArrayList<>();
            List<Double> volumeAfter = new ArrayList<>();
            List<Double> leads = new ArrayList<>();
            long cpu = 0;
            long mentions = 0;
            long state = 0;
            int volumeMissed = 0;
            volumeBefore = 0;
            for (int seed = 1; seed <= seeds; seed++) {
                Run organic = run(level, seed, zipf, false);
                falseAlerts += organic.signals.size();
                cpu += organic.cpuNanos;
                mentions += organic.mentions;
                state = Math.max(state, organic.stateBytes);
                Run story = run(level, 1_000 + seed, zipf, true);
                long rampStart = STORY_DAY * DAY + 600 * MINUTE;
                Long first = null;
                for (AlertSignal s : story.signals) {
                    if (s.windowStart().toEpochMilli() >= rampStart - 15 * MINUTE
                            && s.drivers().drivers().stream()
                                    .anyMatch(d -> d.value().contains("rueckruf"))) {
                        first = s.windowEnd().toEpochMilli();
                        break;
                    }
                }
                Long volume = volumeAlert(story.perMinute, rampStart);
                if (first != null) {
                    found++;
                    foundAfter.add((first - rampStart) / (double) MINUTE);
                    long posts = 0;
                    for (long t : story.storyTimes) {
                        if (t < first) {
                            posts++;
                        }
                    }
                    postsBy.add((double) posts);
                }
                if (volume != null) {
                    volumeAfter.add((volume - rampStart) / (double) MINUTE);
                    if (first != null) {
                        leads.add((volume - first) / (double) MINUTE);
                    }
                } else {
                    volumeMissed++;
                }
            }
            int brandDays = seeds * (ORGANIC_DAYS - WARMUP_DAYS);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %.3f | %d/%d | %s | %s | %s%s%s | %s | %.1f | %,d |%n",
                    level,
                    brandDays,
                    falseAlerts,
                    falseAlerts / (double) brandDays,
                    found,
                    seeds,
                    median(foundAfter),
                    median(postsBy),
                    median(volumeAfter),
                    volumeMissed > 0 ? " (" + volumeMissed + " never)" : "",
                    volumeBefore > 0 ? " [" + volumeBefore + " in the 24 h before]" : "",
                    median(leads),
                    cpu / 1e3 / Math.max(1, mentions),
                    state);
        }
    }

    private record Run(
            List<AlertSignal> signals,
            long[] perMinute,
            List<Long> storyTimes,
            long mentions,
            long cpuNanos,
            long stateBytes) {}

    private static Run run(double level, long seed, double[] zipf, boolean story) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        int days = story ? STORY_DAY + 1 : ORGANIC_DAYS;
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new EmergingTopicsOperator(
                                new EmergingTopics(
                                        Duration.ofMinutes(15),
                                        Duration.ZERO,
                                        672,
                                        5,
                                        Duration.ofMinutes(30),
                                        Duration.ofDays(7),
                                        RuleVocabulary.none())),
                        new BrandTopicKey(),
                        Types.STRING);
        h.open();
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long mentions = 0;
        long[] perMinute = new long[days * 1_440];
        List<Long> storyTimes = new ArrayList<>();
        double hourly = 1;
        int id = 0;
        for (int minute = 0; minute < perMinute.length; minute++) {
            if (minute % 60 == 0) {
                hourly = gamma(r, 1 / 0.3) * 0.3;
            }
            long t0 = minute * MINUTE;
            double season = 1 + 0.7 * Math.sin(2 * Math.PI * (minute % 1_440) / 1_440.0);
            int n = poisson(r, level * season * hourly);
            int s = 0;
            long rampStart = STORY_DAY * DAY + 600 * MINUTE;
            if (story && t0 >= rampStart && t0 < rampStart + 120 * MINUTE) {
                double peak = Math.max(0.5, storyFactor * level);
                double f = Math.min(1, (t0 - rampStart) / (60.0 * MINUTE));
                s = poisson(r, peak * f);
            }
            List<Mention> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String author = r.nextDouble() < 0.3 ? "new" + id : "a" + r.nextInt(5_000);
                batch.add(mention(id++, organicText(r, zipf, 8), author, t0 + r.nextLong(MINUTE)));
            }
            for (int i = 0; i < s; i++) {
                String text = "Rückruf Charge " + organicText(r, zipf, 4);
                long at = t0 + r.nextLong(MINUTE);
                batch.add(mention(id++, text, "story" + id, at));
                storyTimes.add(at);
            }
            perMinute[minute] = n + s;
            long c0 = bean.getCurrentThreadCpuTime();
            for (Mention m : batch) {
                h.processElement(new ScopedMention("brand", "all", m), m.eventTimeMillis());
            }
            h.processWatermark(new Watermark(t0 + MINUTE - 1));
            cpu += bean.getCurrentThreadCpuTime() - c0;
            mentions += batch.size();
        }
        List<AlertSignal> signals = new ArrayList<>();
        for (AlertSignal a : h.extractOutputValues()) {
            if (a.windowStart().toEpochMilli() >= WARMUP_DAYS * DAY) {
                signals.add(a);
            }
        }
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        long bytes =
                snapshot.getManagedKeyedState().stream().mapToLong(x -> x.getStateSize()).sum();
        h.close();
        return new Run(signals, perMinute, storyTimes, mentions, cpu, bytes);
    }

    /**
     * The end of the first viral-spike alert at or after {@code from}, or null; counts in {@link
     * #volumeBefore} the alerts of the 24 hours before (which put the key in its incident
     * cooldown).
     */
    private static Long volumeAlert(long[] perMinute, long from) throws Exception {
        long[] times = new long[perMinute.length];
        String[] stamps = new String[perMinute.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = i * MINUTE;
            stamps[i] = Instant.ofEpochMilli(times[i]).toString();
        }
        EvaluateSpikesCommand.Series series =
                new EvaluateSpikesCommand.Series("brand", stamps, times, perMinute, MINUTE);
        EvaluateSpikesCommand.Detections d =
                EvaluateSpikesCommand.detect(List.of(series), SpikeSettings.defaults(), 1);
        Long first = null;
        for (SpikeAlert a : d.alerts()) {
            long end = a.windowEnd().toEpochMilli();
            if (end < from && end >= from - DAY) {
                volumeBefore++;
            }
            if (a.windowStart().toEpochMilli() >= from && (first == null || end < first)) {
                first = end;
            }
        }
        return first;
    }

    private static Mention mention(int id, String text, String author, long at) {
        return Mention.builder()
                .id("m" + id)
                .platform(Platform.X)
                .url("https://example.com/p/" + id)
                .createdAt(Instant.ofEpochMilli(at))
                .text(text)
                .lang("de")
                .author(new Author("id-" + author, author, 200))
                .brands(List.of("brand"))
                .topics(List.of())
                .engagement(new Engagement(1, 0, 0, 10))
                .build();
    }

    private static String organicText(SplittableRandom r, double[] cdf, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            double u = r.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            b.append(' ').append(word(lo));
        }
        return b.toString();
    }

    /** A word of letters only for a rank (the tokeniser keeps letters). */
    private static String word(int rank) {
        StringBuilder w = new StringBuilder("w");
        int x = rank;
        do {
            w.append((char) ('a' + x % 26));
            x /= 26;
        } while (x > 0);
        while (w.length() < 4) {
            w.append('q');
        }
        return w.toString();
    }

    private static double[] zipf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int poisson(SplittableRandom r, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(r)));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble()))
                * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (shape ≥ 1). */
    private static double gamma(SplittableRandom r, double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(r);
            double v = Math.pow(1 + c * x, 3);
            if (v > 0 && Math.log(1 - r.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static String median(List<Double> v) {
        if (v.isEmpty()) {
            return "–";
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        return String.format(Locale.ROOT, "%.0f", s.get(s.size() / 2));
    }
}
