package io.echolot.bench;

import io.echolot.alert.AlertDrivers;
import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.alert.Evidence;
import io.echolot.alert.Severity;
import io.echolot.explain.ExplainSignals;
import io.echolot.explain.ExplainSignalsOperator;
import io.echolot.explain.SignalScopeKey;
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
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The drivers operator on synthetic traffic with planted causes, in a test harness (heap state
 * backend, 1-minute windows, the job's retention and baseline memory). Not a test: {@code java -cp
 * ... io.echolot.bench.ExplainBenchmark [trials]}. Prints the top-3 driver recall on planted viral
 * posts and campaigns, the coordinated share of planted campaigns, viral cascades and organic
 * volume spikes, the snapshot bytes per key and the CPU time per mention.
 *
 * <p>Organic traffic: 40 mentions a minute, 8 words each drawn Zipf-like from 2,000 words, 3,000
 * regular authors, a fifth with a URL to one of 50 domains. A viral post: 200 reshares in one
 * minute of one text with a two-word phrase of words never used before. A campaign: 60 accounts
 * with under 50 followers, never seen before, posting one URL on a new domain with varied words. An
 * organic spike: five times the organic rate of organic posts.
 */
public final class ExplainBenchmark {

    static final long W = 60_000;
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final int PER_MINUTE = 40;
    static final int HISTORY_MINUTES = 180;

    private ExplainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int viralHits = 0;
        int campaignHits = 0;
        double viralCoordinated = 0;
        double campaignCoordinated = 0;
        double organicCoordinated = 0;
        double campaignFirstTime = 0;
        double organicFirstTime = 0;
        int organicDrivers = 0;
        long cpuNanos = 0;
        long mentions = 0;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int t = 0; t < trials; t++) {
            for (String kind : List.of("viral", "campaign", "organic")) {
                Random r = new Random(1_000L * t + kind.hashCode());
                var h = harness();
                Traffic traffic = new Traffic(r);
                long start = cpu.getCurrentThreadCpuTime();
                for (int m = 0; m < HISTORY_MINUTES; m++) {
                    for (int i = 0; i < PER_MINUTE; i++) {
                        send(h, traffic.organic(T0 + m * W + i * (W / PER_MINUTE)));
                    }
                    h.processBothWatermarks(new Watermark(T0 + (m + 1) * W - 1));
                }
                long spike = T0 + HISTORY_MINUTES * W;
                String planted = traffic.plant(h, kind, spike);
                h.processWatermark1(new Watermark(spike + W - 1));
                h.processElement2(signal(spike), spike + W - 1);
                cpuNanos += cpu.getCurrentThreadCpuTime() - start;
                mentions += traffic.sent;
                AlertDrivers d = h.extractOutputValues().get(0).drivers();
                // a driver names the planted cause when it is of its kind and contains its words
                List<String> top3 =
                        d.drivers().subList(0, Math.min(3, d.drivers().size())).stream()
                                .filter(x -> planted.startsWith(x.kind() + ":"))
                                .filter(
                                        x ->
                                                (" " + x.value() + " ")
                                                        .contains(
                                                                " "
                                                                        + planted.substring(
                                                                                planted.indexOf(':')
                                                                                        + 1)
                                                                        + " "))
                                .map(x -> planted)
                                .toList();
                switch (kind) {
                    case "viral" -> {
                        viralHits += top3.contains(planted) ? 1 : 0;
                        viralCoordinated += d.coordinatedShare();
                    }
                    case "campaign" -> {
                        campaignHits += top3.contains(planted) ? 1 : 0;
                        campaignCoordinated += d.coordinatedShare();
                        campaignFirstTime += d.firstTimeAuthorShare();
                    }
                    default -> {
                        organicCoordinated += d.coordinatedShare();
                        organicFirstTime += d.firstTimeAuthorShare();
                        organicDrivers +=
                                (int)
                                        d.drivers().stream()
                                                .filter(ExplainBenchmark::content)
                                                .count();
                    }
                }
                if (t == 0) {
                    System.out.println(
                            kind
                                    + " (planted "
                                    + planted
                                    + "): "
                                    + d.drivers().stream().limit(5).map(Driver::describe).toList());
                }
                h.close();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "trials %d: top-3 recall viral %.3f, campaign %.3f; coordinated share: campaign %.3f,"
                        + " viral %.3f, organic spike %.3f; first-time authors: campaign %.3f,"
                        + " organic spike %.3f; term/phrase/author/domain drivers per organic spike %.2f%n",
                trials,
                viralHits / (double) trials,
                campaignHits / (double) trials,
                campaignCoordinated / trials,
                viralCoordinated / trials,
                organicCoordinated / trials,
                campaignFirstTime / trials,
                organicFirstTime / trials,
                organicDrivers / (double) trials);
        System.out.printf(
                Locale.ROOT,
                "CPU %.1f µs per mention over %,d mentions (harness, heap state, one key)%n",
                cpuNanos / 1_000.0 / mentions,
                mentions);
        stateBytes();
    }

    private static boolean content(Driver d) {
        return !d.kind().equals("platform") && !d.kind().equals("language");
    }

    /** Snapshot bytes of 1 and of 41 keys after three hours of organic traffic each. */
    private static void stateBytes() throws Exception {
        long one = snapshot(1);
        long many = snapshot(41);
        System.out.printf(
                Locale.ROOT,
                "state: 1 key %,d B, 41 keys %,d B, %,d B per key%n",
                one,
                many,
                (many - one) / 40);
    }

    private static long snapshot(int keys) throws Exception {
        var h = harness();
        Traffic[] traffic = new Traffic[keys];
        for (int k = 0; k < keys; k++) {
            traffic[k] = new Traffic(new Random(k));
            traffic[k].brand = "brand" + k;
        }
        for (int m = 0; m < HISTORY_MINUTES; m++) {
            for (Traffic tr : traffic) {
                for (int i = 0; i < PER_MINUTE; i++) {
                    send(h, tr.organic(T0 + m * W + i * (W / PER_MINUTE)), tr.brand);
                }
            }
            h.processBothWatermarks(new Watermark(T0 + (m + 1) * W - 1));
        }
        OperatorSubtaskState s = h.snapshot(1, 1);
        long bytes = s.getManagedKeyedState().stream().mapToLong(x -> x.getStateSize()).sum();
        h.close();
        return bytes;
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
            harness() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new ExplainSignalsOperator(
                                new ExplainSignals(
                                        Duration.ofMinutes(1),
                                        Duration.ZERO,
                                        3,
                                        240,
                                        Duration.ofDays(2))),
                        new BrandTopicKey(),
                        new SignalScopeKey(),
                        Types.STRING);
        h.open();
        return h;
    }

    static void send(
            KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
                    h,
            Mention m)
            throws Exception {
        send(h, m, "acme");
    }

    static void send(
            KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
                    h,
            Mention m,
            String brand)
            throws Exception {
        h.processElement1(new ScopedMention(brand, "all", m), m.eventTimeMillis());
    }

    static AlertSignal signal(long windowStart) {
        return AlertSignal.builder()
                .type(AlertType.VIRAL_SPIKE)
                .brand("acme")
                .topic("all")
                .severity(Severity.HIGH)
                .evidence(
                        Evidence.of(
                                Instant.ofEpochMilli(windowStart),
                                Instant.ofEpochMilli(windowStart + W),
                                200,
                                40,
                                0.99))
                .build();
    }

    /** One key's synthetic traffic. */
    static final class Traffic {
        final Random r;
        final String[] words = new String[2_000];
        final String[] domains = new String[50];
        String brand = "acme";
        long sent;
        int next;

        Traffic(Random r) {
            this.r = r;
            for (int i = 0; i < words.length; i++) {
                words[i] = word(r, 4 + r.nextInt(6));
            }
            for (int i = 0; i < domains.length; i++) {
                domains[i] = word(r, 6) + ".example";
            }
        }

        Mention organic(long at) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                text.append(zipf(words)).append(' ');
            }
            if (r.nextInt(5) == 0) {
                text.append("https://")
                        .append(zipf(domains))
                        .append("/a/")
                        .append(r.nextInt(1_000));
            }
            int author = r.nextInt(3_000);
            return mention(text.toString(), "fan" + author, 200 + author % 5_000, at, null);
        }

        /** Plants the cause of a spike in the window at {@code start}; returns its driver key. */
        String plant(
                KeyedTwoInputStreamOperatorTestHarness<
                                String, ScopedMention, AlertSignal, AlertSignal>
                        h,
                String kind,
                long start)
                throws Exception {
            for (int i = 0; i < PER_MINUTE; i++) {
                send(h, organic(start + i * (W / PER_MINUTE)));
            }
            switch (kind) {
                case "viral" -> {
                    String a = word(r, 7);
                    String b = word(r, 8);
                    String text =
                            zipf(words) + " " + a + " " + b + " " + zipf(words) + " " + zipf(words);
                    for (int i = 0; i < 200; i++) {
                        send(
                                h,
                                mention(
                                        text,
                                        "sharer" + r.nextInt(100_000),
                                        300,
                                        start + i * 250,
                                        "viral-1"));
                    }
                    return "phrase:" + a + " " + b;
                }
                case "campaign" -> {
                    String domain = word(r, 9) + ".example";
                    for (int i = 0; i < 60; i++) {
                        String text =
                                zipf(words)
                                        + " "
                                        + zipf(words)
                                        + " "
                                        + zipf(words)
                                        + " https://"
                                        + domain
                                        + "/story";
                        send(
                                h,
                                mention(
                                        text,
                                        "new" + r.nextInt(1_000_000),
                                        r.nextInt(50),
                                        start + i * 900,
                                        null));
                    }
                    return "domain:" + domain;
                }
                default -> {
                    for (int i = 0; i < 4 * PER_MINUTE; i++) {
                        send(h, organic(start + i * (W / (4 * PER_MINUTE))));
                    }
                    return "none";
                }
            }
        }

        private Mention mention(
                String text, String author, long followers, long at, String reshareOf) {
            sent++;
            return Mention.builder()
                    .id(brand + "-" + next++)
                    .platform(Platform.values()[r.nextInt(4)])
                    .url("https://x.example/p/" + next)
                    .createdAt(Instant.ofEpochMilli(at))
                    .text(text)
                    .lang("de")
                    .author(new Author("id-" + author, author, followers))
                    .brands(List.of(brand))
                    .topics(List.of())
                    .engagement(new Engagement(1, 0, 0, 10))
                    .reshareOf(reshareOf)
                    .build();
        }

        /** Rank k drawn with probability about 1/k. */
        private String zipf(String[] from) {
            double u = r.nextDouble();
            int k = (int) Math.floor(Math.exp(u * Math.log(from.length + 1))) - 1;
            return from[Math.min(Math.max(k, 0), from.length - 1)];
        }

        private static String word(Random r, int length) {
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < length; i++) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            return w.toString();
        }
    }
}
