package io.echolot.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.serde.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate}: sends generated mentions to Kafka at a steady rate with event time = now, and
 * writes the number of mentions per brand, topic and window it produced, so the aggregates in
 * Elasticsearch can be checked against it ({@code verify-aggregates}).
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Sends generated mentions to a Kafka topic (event time = now).")
final class GenerateCommand implements Callable<Integer> {

    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "echolot.mentions",
            description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Mentions per second. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to send. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--jitter",
            defaultValue = "3s",
            converter = DurationConverter.class,
            description =
                    "Events are up to this much older than now (out of order). Default: ${DEFAULT-VALUE}.")
    Duration jitter;

    @Option(
            names = "--malformed-share",
            defaultValue = "0.01",
            description =
                    "Share of malformed records, which must land on the dead-letter topic. Default: ${DEFAULT-VALUE}.")
    double malformedShare;

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
            description =
                    "Play a negative burst: extra negative mentions of this brand (scenario).")
    String burstBrand;

    @Option(
            names = "--burst-at",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "When the burst starts, after the generator's start. Default: ${DEFAULT-VALUE}.")
    Duration burstAt;

    @Option(
            names = "--burst-for",
            defaultValue = "40s",
            converter = DurationConverter.class,
            description = "How long the burst lasts. Default: ${DEFAULT-VALUE}.")
    Duration burstFor;

    @Option(
            names = "--burst-rate",
            defaultValue = "150",
            description =
                    "Extra negative mentions per second during the burst. Default: ${DEFAULT-VALUE}.")
    double burstRate;

    private final Map<String, Long> expected = new TreeMap<>();
    private long sent;
    private long burst;
    private double burstDue;
    private Instant maxEventTime = Instant.EPOCH;

    private void send(KafkaProducer<byte[], byte[]> producer, Mention m) {
        producer.send(
                new ProducerRecord<>(
                        topic,
                        m.id().getBytes(StandardCharsets.UTF_8),
                        unlabelled
                                ? MentionGenerator.toUnlabelledEvent(m)
                                : MentionGenerator.toEvent(m)));
        sent++;
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

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || rate > 1_000_000) {
            throw new IllegalArgumentException("--rate must be in (0, 1000000], got " + rate);
        }
        if (malformedShare < 0 || malformedShare > 1) {
            throw new IllegalArgumentException(
                    "--malformed-share must be in [0, 1], got " + malformedShare);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        MentionGenerator generator = new MentionGenerator(seed);
        java.util.SplittableRandom coin = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
        if (burstBrand != null
                && MentionGenerator.BRANDS.stream().noneMatch(b -> b.name().equals(burstBrand))) {
            throw new IllegalArgumentException(
                    "--burst-brand must be one of the generated brands "
                            + MentionGenerator.BRANDS.stream()
                                    .map(MentionGenerator.Brand::name)
                                    .toList());
        }
        long malformed = 0;
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long next = start; next < end; next += intervalNanos) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (coin.nextDouble() < malformedShare) {
                    byte[] bad =
                            ("{\"id\":\"broken-" + seed + "-" + malformed + "\",\"text\":")
                                    .getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topic, bad));
                    malformed++;
                    continue;
                }
                Instant now = Instant.now();
                send(producer, generator.next(now, jitter.toMillis()));
                long elapsed = System.nanoTime() - start;
                if (burstBrand != null
                        && elapsed >= burstAt.toNanos()
                        && elapsed < burstAt.plus(burstFor).toNanos()) {
                    // the scripted burst: extra negative mentions of one brand on top of the mix
                    burstDue += burstRate / rate;
                    for (; burstDue >= 1; burstDue--) {
                        send(producer, generator.negative(burstBrand, now, jitter.toMillis()));
                        burst++;
                    }
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "sent %d mentions and %d malformed records to %s in %.1f s (%.0f/s)%n",
                sent, malformed, topic, seconds, (sent + malformed) / seconds);
        if (burst > 0) {
            System.out.printf(
                    "of which %d negative mentions of %s in the burst from %s to %s after the start%n",
                    burst, burstBrand, burstAt, burstAt.plus(burstFor));
        }
        if (expect != null) {
            ObjectNode root = Json.mapper().createObjectNode();
            root.put("window_size_ms", windowSize.toMillis());
            root.put("mentions", sent);
            root.put("malformed", malformed);
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
        return 0;
    }
}
