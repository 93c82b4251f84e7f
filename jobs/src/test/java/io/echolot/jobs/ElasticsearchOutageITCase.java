package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.echolot.json.Json;
import io.echolot.model.Mention;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.Mentions;
import io.echolot.testing.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerting survives a dashboard outage: with the analytics and the indexing job on a MiniCluster
 * against the real Kafka broker, the real Elasticsearch server and a real HTTP receiver for the
 * webhooks, the echolot indices turn read-only the way Elasticsearch makes them at the flood-stage
 * disk watermark. While they are read-only — longer than the checkpoint timeout — an adverse-event
 * post still becomes an alert on the alerts topic and at the webhook, the analytics job keeps
 * completing its checkpoints, nothing reaches Elasticsearch, and the indexing job waits instead of
 * failing. Once the block is lifted, Elasticsearch catches up with every document.
 */
class ElasticsearchOutageITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Shorter than the outage, so the indexing job's checkpoints do time out during it. */
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(15);

    private static final Duration OUTAGE = Duration.ofSeconds(45);

    private final KafkaTestServer kafka = TestServers.kafka();
    private final ElasticsearchTestServer es = TestServers.elasticsearch();
    private final HttpClient http = HttpClient.newHttpClient();
    private final IndexingJobRunner indexing = new IndexingJobRunner();

    private final String brand = "outage" + UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));

    @TempDir Path dir;
    private HttpServer receiver;

    /** Alert id → when its first webhook delivery arrived. */
    private final Map<String, Instant> delivered = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        setReadOnly(false);
        indexing.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void alertsKeepFlowingWhileTheIndicesAreReadOnlyAndElasticsearchCatchesUpAfterwards()
            throws Exception {
        startReceiver();
        String mentions = kafka.createTopic("outage-mentions", 1);
        String alerts = kafka.createTopic("outage-alerts", 1);
        JobOptions options =
                options(mentions, alerts, kafka.createTopic("outage-dlq", 1), "outage-late");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, CHECKPOINT_TIMEOUT);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MentionAnalyticsJob.defineJob(env, options);
        JobClient indexingJob = indexing.start(conf, options, "outage-" + brand);
        JobClient analytics = env.executeAsync("outage-" + brand);
        try {
            // healthy: mentions and the first adverse event reach Elasticsearch, the alert the
            // webhook
            Instant sentA = Instant.now();
            kafka.sendValues(mentions, batch("a", t0, 20));
            awaitUntil(
                    Duration.ofMinutes(3), () -> mentionDocuments() == 21 && alertDocuments() == 1);
            Duration usual = awaitDelivery(alertIdOf(brand + "-a-adverse"), sentA);

            setReadOnly(true);
            Instant blocked = Instant.now();
            long checkpointsBefore = completedCheckpoints(analytics);
            // checkpoints triggered while the tasks were still deploying count as failed
            long failedBefore = failedCheckpoints(analytics);
            Instant sentB = Instant.now();
            kafka.sendValues(mentions, batch("b", t0.plusSeconds(120), 20));
            String alertB = alertIdOf(brand + "-b-adverse");
            Duration during = awaitDelivery(alertB, sentB);
            List<ConsumerRecord<byte[], byte[]>> states =
                    kafka.read(alerts, 2, Duration.ofMinutes(1));
            assertThat(states).as("alert states on " + alerts).hasSize(2);
            assertThat(Json.mapper().readTree(states.get(1).value()).path("id").asText())
                    .isEqualTo(alertB);

            // hold the block past the checkpoint timeout: the analytics job must not notice
            sleepUntil(blocked.plus(OUTAGE));
            es.refresh("echolot-*");
            assertThat(mentionDocuments()).as("mention documents while read-only").isEqualTo(21);
            assertThat(alertDocuments()).as("alert documents while read-only").isEqualTo(1);
            assertThat(completedCheckpoints(analytics) - checkpointsBefore)
                    .as("checkpoints of the analytics job while Elasticsearch was read-only")
                    .isGreaterThanOrEqualTo(3);
            assertThat(failedCheckpoints(analytics) - failedBefore)
                    .as(
                            "failed checkpoints of the analytics job while Elasticsearch was"
                                    + " read-only: %s",
                            rest(analytics, "/checkpoints").path("history"))
                    .isZero();
            assertThat(failedCheckpoints(indexingJob))
                    .as("the indexing job's checkpoints time out while its writes cannot land")
                    .isPositive();
            assertStillRunning(analytics);
            assertStillRunning(indexingJob);

            setReadOnly(false);
            Instant lifted = Instant.now();
            awaitUntil(
                    Duration.ofMinutes(3), () -> mentionDocuments() == 42 && alertDocuments() == 2);
            Duration catchUp = Duration.between(lifted, Instant.now());
            assertStillRunning(indexingJob);
            System.out.printf(
                    "alert latency to the webhook: %d ms with Elasticsearch writable, %d ms with"
                            + " the indices read-only; Elasticsearch caught up %d ms after the"
                            + " block was lifted%n",
                    usual.toMillis(), during.toMillis(), catchUp.toMillis());
            assertThat(during)
                    .as("alert latency while read-only (%d ms when writable)", usual.toMillis())
                    .isLessThan(usual.plusSeconds(20));
        } finally {
            analytics.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** {@code n} mentions of the brand and one adverse-event post, a second apart. */
    private List<byte[]> batch(String name, Instant from, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(
                    Mentions.eventBytes(
                            Mentions.mention(
                                    brand + "-" + name + i,
                                    brand,
                                    List.of(),
                                    from.plusSeconds(i))));
        }
        Mention adverse =
                Mentions.mention(
                        brand + "-" + name + "-adverse",
                        brand,
                        List.of("nebenwirkung"),
                        from.plusSeconds(n));
        out.add(Mentions.eventBytes(adverse));
        return out;
    }

    /** Adverse-event alerts are named after their post. */
    private static String alertIdOf(String mentionId) {
        return "adverse_event|" + mentionId;
    }

    private Duration awaitDelivery(String alertIdPrefix, Instant sent) {
        awaitUntil(
                Duration.ofMinutes(2),
                () -> delivered.keySet().stream().anyMatch(k -> k.startsWith(alertIdPrefix)));
        Instant at =
                delivered.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(alertIdPrefix))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElseThrow();
        return Duration.between(sent, at);
    }

    private long mentionDocuments() {
        return es.count("echolot-mentions-*", "{\"term\":{\"brands\":\"" + brand + "\"}}");
    }

    private long alertDocuments() {
        return es.count("echolot-alerts-*", "{\"term\":{\"brand\":\"" + brand + "\"}}");
    }

    /**
     * Makes Elasticsearch believe its disk is full: every watermark demands more free space than
     * any disk has, so Elasticsearch itself puts the flood-stage block on every index (writes
     * refused with 429), and lifts it again once the watermarks are back to their defaults.
     */
    private void setReadOnly(boolean readOnly) {
        String free = readOnly ? "\"1000tb\"" : "null";
        JsonNode answer =
                es.request(
                        "PUT",
                        "/_cluster/settings",
                        ("{\"persistent\":{"
                                        // the test servers start with the disk check off
                                        + "\"cluster.routing.allocation.disk.threshold_enabled\":%s,"
                                        + "\"cluster.routing.allocation.disk.watermark.low\":%s,"
                                        + "\"cluster.routing.allocation.disk.watermark.high\":%s,"
                                        + "\"cluster.routing.allocation.disk.watermark.flood_stage\":%s,"
                                        + "\"cluster.info.update.interval\":%s}}")
                                .formatted(
                                        readOnly ? "true" : "null",
                                        free,
                                        free,
                                        free,
                                        readOnly ? "\"10s\"" : "null"));
        assertThat(answer.path("acknowledged").asBoolean())
                .as("disk watermarks (full disk: %s): %s", readOnly, answer)
                .isTrue();
        awaitUntil(Duration.ofMinutes(1), () -> blocked() == readOnly);
    }

    /** Whether Elasticsearch has put the flood-stage block on this test's mention index. */
    private boolean blocked() {
        return es
                .request("GET", "/echolot-mentions-*/_settings?flat_settings=true", "")
                .findValues("index.blocks.read_only_allow_delete")
                .stream()
                .anyMatch(v -> v.asText().equals("true"));
    }

    private JobOptions options(String mentions, String alerts, String dlq, String late)
            throws IOException {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(
                rules,
                """
                brands:
                  - id: %s
                    names: [%s]
                    pharma: true
                    topics:
                      nebenwirkung:
                        keywords: [nebenwirkung*]
                """
                        .formatted(brand, brand));
        Path webhooks = dir.resolve("webhooks.yaml");
        Path secret = Files.writeString(dir.resolve("webhook.secret"), "outage-secret-0123456789");
        Files.writeString(
                webhooks,
                """
                version: 1
                endpoints:
                  - name: outage-json
                    url: http://127.0.0.1:%d/json
                    format: json
                    secret_file: %s
                """
                        .formatted(receiver.getAddress().getPort(), secret));
        return JobOptions.parse(
                new String[] {
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--mentions-topic",
                    mentions,
                    "--dead-letter-topic",
                    dlq,
                    "--late-topic",
                    late,
                    "--alerts-topic",
                    alerts,
                    "--index-topic-prefix",
                    "outage-index-" + UUID.randomUUID(),
                    "--group-id",
                    "outage-" + UUID.randomUUID(),
                    "--starting-offsets",
                    "earliest",
                    "--es-hosts",
                    es.url(),
                    "--rules",
                    rules.toString(),
                    "--webhooks",
                    webhooks.toString(),
                    "--webhooks-dlq-topic",
                    dlq,
                    "--out-of-orderness",
                    "1 s",
                    "--idleness",
                    "2 s",
                    "--checkpoint-interval",
                    "2 s",
                    "--parallelism",
                    "1"
                },
                Map.of());
    }

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String id = Json.mapper().readTree(body).path("id").asText();
                    delivered.putIfAbsent(id, Instant.now());
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.start();
    }

    private long completedCheckpoints(JobClient job) throws Exception {
        return rest(job, "/checkpoints").path("counts").path("completed").asLong();
    }

    private long failedCheckpoints(JobClient job) throws Exception {
        return rest(job, "/checkpoints").path("counts").path("failed").asLong();
    }

    private void assertStillRunning(JobClient job) throws Exception {
        assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        assertThat(rest(job, "/exceptions").path("exceptionHistory").path("entries"))
                .as("failures of job %s", job.getJobID())
                .isEmpty();
    }

    private JsonNode rest(JobClient job, String path) throws Exception {
        Configuration c = FLINK.getClientConfiguration();
        String url =
                "http://%s:%d/jobs/%s%s"
                        .formatted(
                                c.get(RestOptions.ADDRESS),
                                c.get(RestOptions.PORT),
                                job.getJobID(),
                                path);
        return Json.mapper()
                .readTree(
                        http.send(
                                        HttpRequest.newBuilder(URI.create(url)).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
    }

    /** The outage must last its full length; nothing to poll for while it does. */
    private static void sleepUntil(Instant end) throws InterruptedException {
        long ms = Duration.between(Instant.now(), end).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static void awaitUntil(Duration atMost, BooleanSupplier condition) {
        Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(condition::getAsBoolean);
    }
}
