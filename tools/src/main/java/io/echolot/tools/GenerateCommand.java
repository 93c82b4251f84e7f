package io.echolot.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.json.Json;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.tools.Timeline.Emission;
import io.echolot.tools.Timeline.Kind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: plays a {@link Scenario} — the regular mention mix and scripted incidents —
 * into a Kafka topic in real time (or into a JSONL file at once), or replays a JSONL file at a
 * speed-up factor ({@link Replay}). Optionally writes the number of mentions per brand, topic and
 * window it sent, so the aggregates in Elasticsearch can be checked against it ({@code
 * verify-aggregates}).
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Sends generated mentions to a Kafka topic (event time = now), or writes them to a file.",
            "Deterministic with --seed: with --out and --start the output is identical every time."
        })
final class GenerateCommand implements Callable<Integer> {

    /** Where the records go: a Kafka topic or a JSONL file. */
    static final class Target {
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
        String bootstrapServers;

        @Option(
                names = "--out",
                description =
                        "Write the records as JSON lines to this file, at once, instead of Kafka.")
        Path out;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Spec CommandSpec spec;

    @Option(
            names = "--topic",
            defaultValue = "echolot.mentions",
            description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Mean mentions per second of the regular mix. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to send in real time. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(
            names = "--history",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description =
                    "First send this much history at once (event times before the start), e.g. so"
                            + " that baselines are warm when the live part begins. Default: ${DEFAULT-VALUE}.")
    Duration history;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--start",
            description =
                    "Event time of the live start (ISO-8601, e.g. 2026-01-05T09:00:00Z). Default: now.")
    Instant start;

    @Option(
            names = "--seasonality",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Follow the time of day and the day of week (quiet nights, evening peak, calmer"
                            + " weekends; mean = --rate). --no-seasonality: a flat rate. Default: ${DEFAULT-VALUE}.")
    boolean seasonality;

    @Option(
            names = "--jitter",
            defaultValue = "3s",
            converter = DurationConverter.class,
            description =
                    "Events are up to this much older than their send time (out of order). Default: ${DEFAULT-VALUE}.")
    Duration jitter;

    @Option(
            names = "--malformed-share",
            defaultValue = "0.01",
            description =
                    "Share of malformed records, which must land on the dead-letter topic. Default: ${DEFAULT-VALUE}.")
    double malformedShare;

    @Option(
            names = "--duplicate-share",
            defaultValue = "0.005",
            description =
                    "Share of records that repeat a recent mention (same id), which the job must count once. Default: ${DEFAULT-VALUE}.")
    double duplicateShare;

    @Option(
            names = "--late-share",
            defaultValue = "0.002",
            description =
                    "Share of mentions sent --late-by after their event time; they must land on the late topic. Default: ${DEFAULT-VALUE}.")
    double lateShare;

    @Option(
            names = "--late-by",
            defaultValue = "10 min",
            converter = DurationConverter.class,
            description =
                    "How late the late mentions are: more than the job's window size + out-of-orderness"
                            + " + allowed lateness. Default: ${DEFAULT-VALUE}.")
    Duration lateBy;

    @Option(
            names = "--decoy-share",
            defaultValue = "0.02",
            description =
                    "With --unlabelled: share of posts naming a brand's homonym (FC Bayern, a Strider"
                            + " bike) that the rules must ignore. Default: ${DEFAULT-VALUE}.")
    double decoyShare;

    @Option(
            names = "--window-size",
            defaultValue = "1 min",
            converter = DurationConverter.class,
            description =
                    "Window size for the expected counts; match the job's --window-size. Default: ${DEFAULT-VALUE}.")
    Duration windowSize;

    @Option(
            names = "--unlabelled",
            description =
                    "Send events without brands, topics, language and sentiment, as raw feeds do: the job"
                            + " must find them (run it with --rules). Expected counts then cover the brand level only.")
    boolean unlabelled;

    @Option(
            names = "--expect",
            description = "Write the expected window counts (JSON) to this file.")
    Path expect;

    @Option(
            names = "--burst-brand",
            description = "Play a negative burst: extra negative mentions of this brand.")
    String burstBrand;

    @Option(
            names = "--burst-at",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "When the burst starts, after the live start. Default: ${DEFAULT-VALUE}.")
    Duration burstAt;

    @Option(
            names = "--burst-for",
            defaultValue = "40s",
            converter = DurationConverter.class,
            description = "How long the burst lasts. Default: ${DEFAULT-VALUE}.")
    Duration burstFor;

    @Option(
            names = "--burst-rate",
            defaultValue = "30",
            description =
                    "Extra negative mentions per second during the burst. Default: ${DEFAULT-VALUE}.")
    double burstRate;

    @Option(
            names = "--story-brand",
            description =
                    "Play an emerging story no rule watches (a rumoured batch recall) for this"
                            + " brand: original posts of many authors.")
    String storyBrand;

    @Option(
            names = "--story-at",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "When the story starts, after the live start. Default: ${DEFAULT-VALUE}.")
    Duration storyAt;

    @Option(
            names = "--story-for",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long the story lasts. Default: ${DEFAULT-VALUE}.")
    Duration storyFor;

    @Option(
            names = "--story-rate",
            defaultValue = "1",
            description = "Story posts per second. Default: ${DEFAULT-VALUE}.")
    double storyRate;

    @Option(
            names = "--spike-brand",
            description =
                    "Play a viral spike: a post of this brand and its reshare cascade on top of the mix.")
    String spikeBrand;

    @Option(
            names = "--spike-at",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "When the spike starts, after the live start. Default: ${DEFAULT-VALUE}.")
    Duration spikeAt;

    @Option(
            names = "--spike-for",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long the spike lasts. Default: ${DEFAULT-VALUE}.")
    Duration spikeFor;

    @Option(
            names = "--spike-factor",
            defaultValue = "10",
            description =
                    "The brand's volume during the spike, as a multiple of its regular volume. Default: ${DEFAULT-VALUE}.")
    double spikeFactor;

    @Option(
            names = "--adverse-at",
            split = ",",
            converter = DurationConverter.class,
            description =
                    "Send a post about a side effect of --adverse-brand at these offsets after the live start, e.g. 50s,130s.")
    List<Duration> adverseAt = new ArrayList<>();

    @Option(
            names = "--adverse-brand",
            defaultValue = "cardiofit",
            description = "The pharma brand of the side-effect posts. Default: ${DEFAULT-VALUE}.")
    String adverseBrand;

    @Option(
            names = "--reply-share",
            defaultValue = "0.85",
            description =
                    "Share of the posts addressing a brand's account (@account, about 5%% of posts)"
                            + " that the brand's account answers. Default: ${DEFAULT-VALUE}.")
    double replyShare;

    @Option(
            names = "--reply-median",
            defaultValue = "10 min",
            converter = DurationConverter.class,
            description =
                    "Median delay of those answers (log-normal; answers not due before the end are"
                            + " never sent). Default: ${DEFAULT-VALUE}.")
    Duration replyMedian;

    @Option(
            names = "--complaint-brand",
            description =
                    "Send a complaint addressed to this brand's account first, --complaint-age old"
                            + " (scenario: an unanswered customer).")
    String complaintBrand;

    @Option(
            names = "--complaint-age",
            defaultValue = "65 min",
            converter = DurationConverter.class,
            description =
                    "How long before the live start the complaint was posted; older than the brand's"
                            + " SLA makes it overdue at once. Default: ${DEFAULT-VALUE}.")
    Duration complaintAge;

    @Option(
            names = "--complaint-reply-at",
            converter = DurationConverter.class,
            description =
                    "When the brand finally answers the complaint, after the live start. Default: never.")
    Duration complaintReplyAt;

    @Option(
            names = "--sent-log",
            description =
                    "Kafka only: write, for every mention Kafka acknowledged (malformed records"
                            + " left out), its partition, event time, send time, acknowledgement time"
                            + " and kind, tab-separated, to this file (alert latency from the"
                            + " watermark, local stack).")
    Path sentLog;

    @ArgGroup(exclusive = false, heading = "Replay a JSON-lines file instead of generating:%n")
    Replay.Options replay;

    private final Map<String, Long> expected = new TreeMap<>();
    private final Map<Kind, Long> sentByKind = new EnumMap<>(Kind.class);
    private Instant maxEventTime = Instant.EPOCH;

    @Override
    public Integer call() throws Exception {
        if (sentLog != null && (target.out != null || replay != null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--sent-log needs --bootstrap-servers and no --replay: it logs the generated mentions' acknowledgements by Kafka");
        }
        Instant liveStart = start != null ? start : Instant.now();
        if (replay != null) {
            try (Output output = output()) {
                Replay.Summary s = Replay.run(replay, liveStart, output::send, target.out == null);
                System.out.printf(
                        "replayed %d records (%d rewritten to the new time line) from %s to %s in %.1f s%n",
                        s.records(), s.retimed(), replay.file, destination(), s.seconds());
            }
            return 0;
        }
        Scenario scenario = scenario();
        long startNanos = System.nanoTime();
        boolean paced = target.out == null;
        try (SentLog sent = sentLog == null ? null : new SentLog(sentLog);
                Output output = output()) {
            new Timeline(scenario, seed, liveStart)
                    .play(
                            e -> {
                                if (paced) {
                                    long wait = startNanos + e.sendAtNanos() - System.nanoTime();
                                    if (wait > 0) {
                                        LockSupport.parkNanos(wait);
                                    }
                                }
                                output.send(
                                        e.key(), e.value(), sent == null ? null : sent.sending(e));
                                record(e);
                            });
        }
        report(scenario, (System.nanoTime() - startNanos) / 1e9);
        if (expect != null) {
            writeExpected();
        }
        return 0;
    }

    private Scenario scenario() {
        List<Scenario.Adverse> adverse = new ArrayList<>();
        for (Duration at : adverseAt) {
            adverse.add(new Scenario.Adverse(adverseBrand, at));
        }
        return new Scenario(
                rate,
                duration,
                history,
                jitter,
                seasonality,
                unlabelled,
                malformedShare,
                duplicateShare,
                lateShare,
                lateBy,
                decoyShare,
                burstBrand == null
                        ? null
                        : new Scenario.Burst(burstBrand, burstAt, burstFor, burstRate),
                spikeBrand == null
                        ? null
                        : new Scenario.Spike(spikeBrand, spikeAt, spikeFor, spikeFactor),
                adverse,
                replyShare,
                replyMedian,
                complaintBrand == null
                        ? null
                        : new Scenario.Complaint(complaintBrand, complaintAge, complaintReplyAt),
                storyBrand == null
                        ? null
                        : new Scenario.Story(storyBrand, storyAt, storyFor, storyRate));
    }

    private void record(Emission e) {
        sentByKind.merge(e.kind(), 1L, Long::sum);
        if (!e.kind().counted) {
            return;
        }
        Mention m = e.mention();
        if (m.createdAt().isAfter(maxEventTime)) {
            maxEventTime = m.createdAt();
        }
        long w = windowSize.toMillis();
        Instant windowStart = Instant.ofEpochMilli(Math.floorDiv(m.eventTimeMillis(), w) * w);
        for (String brand : m.brands()) {
            expected.merge(
                    brand + "|" + WindowAggregate.ALL_TOPICS + "|" + windowStart, 1L, Long::sum);
            // unlabelled: the job finds the topics itself, so only the brand level is known
            for (String t : unlabelled ? List.<String>of() : m.topics()) {
                expected.merge(brand + "|" + t + "|" + windowStart, 1L, Long::sum);
            }
        }
    }

    private void report(Scenario scenario, double seconds) {
        long total = sentByKind.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
                "sent %d records to %s in %.1f s (%.0f/s): %s%n",
                total, destination(), seconds, total / Math.max(seconds, 1e-3), sentByKind);
        if (scenario.burst() != null) {
            System.out.printf(
                    "negative burst: %d extra negative mentions of %s from %s to %s after the start%n",
                    sentByKind.getOrDefault(Kind.BURST, 0L),
                    burstBrand,
                    burstAt,
                    burstAt.plus(burstFor));
        }
        if (scenario.story() != null) {
            System.out.printf(
                    "emerging story: %d posts about %s from %s to %s after the start%n",
                    sentByKind.getOrDefault(Kind.STORY, 0L),
                    storyBrand,
                    storyAt,
                    storyAt.plus(storyFor));
        }
        if (scenario.spike() != null) {
            System.out.printf(
                    "viral spike: %d posts of one cascade for %s from %s to %s after the start%n",
                    sentByKind.getOrDefault(Kind.VIRAL, 0L),
                    spikeBrand,
                    spikeAt,
                    spikeAt.plus(spikeFor));
        }
    }

    private void writeExpected() throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("window_size_ms", windowSize.toMillis());
        root.put("mentions", countedMentions());
        root.put("malformed", sentByKind.getOrDefault(Kind.MALFORMED, 0L));
        root.put("duplicates", sentByKind.getOrDefault(Kind.DUPLICATE, 0L));
        root.put("late", sentByKind.getOrDefault(Kind.LATE, 0L));
        root.put("decoys", sentByKind.getOrDefault(Kind.DECOY, 0L));
        root.put("brand_replies", sentByKind.getOrDefault(Kind.REPLY, 0L));
        root.put("follow_ups", sentByKind.getOrDefault(Kind.FOLLOW_UP, 0L));
        root.put("max_event_time", maxEventTime.toString());
        ArrayNode windows = root.putArray("windows");
        expected.forEach(
                (k, count) -> {
                    String[] p = k.split("\\|");
                    windows.addObject()
                            .put("brand", p[0])
                            .put("topic", p[1])
                            .put("window_start", p[2])
                            .put("mentions", count);
                });
        Path parent = expect.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(expect.toFile(), root);
        System.out.println("expected window counts written to " + expect);
    }

    private long countedMentions() {
        return sentByKind.entrySet().stream()
                .filter(e -> e.getKey().counted)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private String destination() {
        return target.out != null ? target.out.toString() : topic;
    }

    private Output output() throws IOException {
        if (target.out != null) {
            Path parent = target.out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new FileOutput(new BufferedOutputStream(Files.newOutputStream(target.out)));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        return new Output() {
            @Override
            public void send(byte[] key, byte[] value, Callback acknowledged) {
                producer.send(new ProducerRecord<>(topic, key, value), acknowledged);
            }

            @Override
            public void close() {
                // close even when the flush fails: it waits for the callbacks (--sent-log)
                try {
                    producer.flush();
                } finally {
                    producer.close();
                }
            }
        };
    }

    /** Where records go. */
    interface Output extends AutoCloseable {
        default void send(byte[] key, byte[] value) {
            send(key, value, null);
        }

        /** {@code acknowledged} (may be null) is called once Kafka has the record. */
        void send(byte[] key, byte[] value, Callback acknowledged);

        @Override
        void close() throws IOException;
    }

    /** JSON lines; the records never contain a line break (JSON escapes them). */
    private record FileOutput(OutputStream out) implements Output {
        @Override
        public void send(byte[] key, byte[] value, Callback acknowledged) {
            try {
                out.write(value);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
