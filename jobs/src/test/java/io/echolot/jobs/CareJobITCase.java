package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.Mentions;
import io.echolot.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer care in the real job wiring against a real Kafka broker and Elasticsearch: unanswered
 * alerts in Elasticsearch and on the alerts topic, a late reply resolving one, a CRM update and a
 * CRM delete changing the SLA and customer context of later items, a bad CRM record dead-lettered,
 * and the response-time figures in {@code echolot-care-*}.
 *
 * <p>The test usually waits between its batches for longer than {@code --idleness}, so the mentions
 * partition goes idle and resumes with batches spanning minutes of event time: every record must
 * still reach the CEP operators ahead of the watermark ({@link
 * io.echolot.window.ResumingWatermarks}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CareJobITCase {

    private final IndexingJobRunner indexing = new IndexingJobRunner();

    @AfterEach
    void stopIndexingJobs() throws Exception {
        indexing.close();
    }

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private final KafkaTestServer kafka = TestServers.kafka();
    private final ElasticsearchTestServer es = TestServers.elasticsearch();
    private final HttpClient http = HttpClient.newHttpClient();

    private final String brand = "care" + UUID.randomUUID().toString().substring(0, 8);
    private final String account = brand + "_team";
    private final String group = "it-" + UUID.randomUUID();

    /** Three hours ago on the hour: every item falls into one hourly figures window. */
    private final Instant t0 =
            Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

    @TempDir Path dir;
    private JobClient job;

    private Mention post(String id, String author, Duration at, String text, String replyTo) {
        return Mention.builder()
                .id(brand + "-" + id)
                .platform(Platform.X)
                .createdAt(t0.plus(at))
                .text(text)
                .lang("en")
                .author(new Author("id-" + author, author, 10))
                .brands(List.of())
                .topics(List.of())
                .engagement(Engagement.NONE)
                .replyTo(replyTo == null ? null : brand + "-" + replyTo)
                .build();
    }

    private Mention complaint(String id, String author, Duration at) {
        return post(id, author, at, "@" + account + " where is my order?", null);
    }

    private Mention reply(String id, String to, Duration at) {
        return post(id, account, at, "We are on it, sorry!", to);
    }

    @Test
    void unansweredAlertsLateResolutionCrmUpdatesAndFigures() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(
                rules,
                """
                brands:
                  - id: %s
                    names: [Zorblax]
                    handles: [%s]
                    care:
                      accounts: {x: [%s]}
                      sla: {normal: 60 min, high: 15 min}
                      high_priority: {customer_tiers: [gold]}
                """
                        .formatted(brand, account, account));
        String mentions = kafka.createTopic("mentions", 1);
        String customers = kafka.createTopic("customers", 1);
        String dlq = kafka.createTopic("dlq", 1);
        String alerts = kafka.createTopic("alerts", 1);
        JobOptions options =
                JobOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--mentions-topic",
                            mentions,
                            "--dead-letter-topic",
                            dlq,
                            "--late-topic",
                            kafka.createTopic("late", 1),
                            "--alerts-topic",
                            alerts,
                            "--crm-topic",
                            customers,
                            "--rules",
                            rules.toString(),
                            "--group-id",
                            group,
                            "--starting-offsets",
                            "earliest",
                            "--index-topic-prefix",
                            "it-index-" + UUID.randomUUID(),
                            "--es-hosts",
                            es.url(),
                            "--out-of-orderness",
                            "1 s",
                            "--idleness",
                            "2 s",
                            "--checkpoint-interval",
                            "1 s",
                            "--parallelism",
                            "2"
                        },
                        Map.of());

        // the CRM knows the author "vip" as a standard customer; one record has no key
        produce(customers, "x:id-vip", "{\"customer_id\":\"C-9\",\"tier\":\"standard\"}");
        produce(customers, null, "{\"customer_id\":\"C-0\"}");
        job = start(options);
        try {
            awaitCustomersRead(customers, 2);
            produce(
                    mentions,
                    // in event-time order: one partition, 1 s out-of-orderness
                    complaint("a", "alice", Duration.ZERO),
                    complaint("b", "bob", Duration.ofMinutes(1)),
                    complaint("c", "carol", Duration.ofMinutes(2)),
                    complaint("v1", "vip", Duration.ofMinutes(5)),
                    reply("ra", "a", Duration.ofMinutes(10)));
            // the job has joined the first batch before the CRM changes (two topics, no order)
            awaitRead(group, mentions, 5);
            // now a gold customer: later items get the 15 min SLA
            produce(
                    customers,
                    "x:id-vip",
                    "{\"customer_id\":\"C-9\",\"tier\":\"gold\",\"open_cases\":1}");
            awaitCustomersRead(customers, 3);
            produce(mentions, complaint("v2", "vip", Duration.ofMinutes(20)));
            // the job has joined v2 (offsets 0-4 were the first batch) before the delete comes
            awaitRead(group, mentions, 6);
            // deleted from the CRM: unknown again
            produce(customers, "x:id-vip", null);
            awaitCustomersRead(customers, 4);
            produce(
                    mentions,
                    complaint("v3", "vip", Duration.ofMinutes(25)),
                    reply("rb", "b", Duration.ofMinutes(90)),
                    post("z", "zed", Duration.ofMinutes(150), "Zorblax later", null));

            awaitUntil(() -> alertState("b").path("state").asText().equals("resolved"));
            JsonNode b = alertState("b");
            assertThat(b.path("version").asInt()).isEqualTo(2);
            assertThat(b.path("care").path("late_by_minutes").asDouble()).isEqualTo(29.0);
            assertThat(b.path("care").path("answered_at").asText())
                    .isEqualTo(t0.plus(Duration.ofMinutes(90)).toString());

            // the alerts come from parallel writers in any order: wait for every state asserted
            awaitUntil(
                    () ->
                            alertState("v3").path("state").asText().equals("open")
                                    && alertState("c").path("state").asText().equals("open")
                                    && !alertState("v1").isMissingNode()
                                    && !alertState("v2").isMissingNode());
            assertThat(alertState("a").isMissingNode()).as("answered in time").isTrue();
            assertThat(alertState("c").path("state").asText()).isEqualTo("open");
            JsonNode v1 = alertState("v1");
            assertThat(v1.path("care").path("priority").asText()).isEqualTo("normal");
            assertThat(v1.path("care").path("customer").path("tier").asText())
                    .isEqualTo("standard");
            JsonNode v2 = alertState("v2");
            assertThat(v2.path("severity").asText()).isEqualTo("high");
            assertThat(v2.path("care").path("sla_minutes").asDouble()).isEqualTo(15.0);
            assertThat(v2.path("care").path("customer").path("customer_id").asText())
                    .isEqualTo("C-9");
            assertThat(v2.path("opened_at").asText())
                    .isEqualTo(t0.plus(Duration.ofMinutes(35)).toString());
            JsonNode v3 = alertState("v3");
            assertThat(v3.path("care").path("priority").asText()).isEqualTo("normal");
            assertThat(v3.path("care").path("customer").isMissingNode()).isTrue();

            // the same states on the alerts topic (what the webhook delivery reads)
            List<String> onTopic =
                    consume(alerts, 6).stream()
                            .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                            .toList();
            assertThat(onTopic).contains("unanswered|" + brand + "|" + brand + "-b");

            // the bad CRM record went to the dead-letter topic
            assertThat(consume(dlq, 1))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .contains("{\"customer_id\":\"C-0\"}");

            // figures: items a, b, c, v1, v2, v3; answered a (10 min, in time), b (89 min)
            awaitUntil(() -> figures().path("overdue").asLong() == 5);
            JsonNode f = figures();
            assertThat(f.path("care_items").asLong()).isEqualTo(6);
            assertThat(f.path("answered").asLong()).isEqualTo(2);
            assertThat(f.path("answered_within_sla").asLong()).isEqualTo(1);
            assertThat(f.path("open_backlog").asLong()).isEqualTo(4);
            assertThat(f.path("response_median_minutes").asDouble()).isEqualTo(10.0);
            assertThat(f.path("response_p90_minutes").asDouble()).isEqualTo(89.0);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** What the job saw, for a failed wait: event time per operator, this brand's documents. */
    private void dumpState(JobClient job) {
        Configuration c = FLINK.getClientConfiguration();
        String jobUrl =
                "http://%s:%d/jobs/%s"
                        .formatted(
                                c.get(RestOptions.ADDRESS),
                                c.get(RestOptions.PORT),
                                job.getJobID());
        try {
            for (JsonNode v : Json.mapper().readTree(get(jobUrl)).path("vertices")) {
                String url = jobUrl + "/vertices/" + v.path("id").asText() + "/watermarks";
                System.err.printf(
                        "watermarks of %s (t0 = %d): %s%n",
                        v.path("name").asText(), t0.toEpochMilli(), get(url));
            }
        } catch (Exception e) {
            System.err.println("no watermarks: " + e);
        }
        String ofBrand = "{\"size\":50,\"query\":{\"term\":{\"brand\":\"%s\"}}}".formatted(brand);
        try {
            System.err.println("alerts: " + request("POST", "/echolot-alerts-*/_search", ofBrand));
            System.err.println(
                    "care figures: " + request("POST", "/echolot-care-*/_search", ofBrand));
        } catch (RuntimeException e) {
            System.err.println("no documents: " + e);
        }
    }

    private String get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private JobClient start(JobOptions options) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MentionAnalyticsJob.defineJob(env, options);
        indexing.start(conf, options, "it-" + brand);
        return env.executeAsync("it-" + brand);
    }

    /**
     * Waits until the job has committed {@code offset} on the customers topic: the source commits
     * after a completed checkpoint, and a checkpoint completes only after the customer join has
     * processed every record before its barrier, so mentions produced now see these updates.
     */
    private void awaitCustomersRead(String topic, long offset) {
        awaitRead(group + "-customers", topic, offset);
    }

    /** Waits until {@code consumerGroup} has committed {@code offset} on partition 0 of topic. */
    private void awaitRead(String consumerGroup, String topic, long offset) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            awaitUntil(
                    () -> {
                        try {
                            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> o =
                                    admin.listConsumerGroupOffsets(consumerGroup)
                                            .partitionsToOffsetAndMetadata()
                                            .get();
                            OffsetAndMetadata m =
                                    o.get(new org.apache.kafka.common.TopicPartition(topic, 0));
                            return m != null && m.offset() >= offset;
                        } catch (Exception e) {
                            return false;
                        }
                    });
        }
    }

    private JsonNode alertState(String conversation) {
        JsonNode hits =
                request(
                        "POST",
                        "/echolot-alerts-*/_search",
                        "{\"query\":{\"term\":{\"id\":\"unanswered|"
                                + brand
                                + "|"
                                + brand
                                + "-"
                                + conversation
                                + "\"}}}");
        return hits.path("hits").path("hits").path(0).path("_source");
    }

    private JsonNode figures() {
        JsonNode hits =
                request(
                        "POST",
                        "/echolot-care-*/_search",
                        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"brand\":\""
                                + brand
                                + "\"}},{\"term\":{\"topic\":\"all\"}},{\"term\":{\"window_start\":\""
                                + t0
                                + "\"}}]}}}");
        return hits.path("hits").path("hits").path(0).path("_source");
    }

    private void produce(String topic, Mention... ms) {
        kafka.sendValues(topic, Stream.of(ms).map(Mentions::eventBytes).toList());
    }

    private void produce(String topic, String key, String value) {
        kafka.send(
                topic,
                List.of(
                        new ProducerRecord<>(
                                topic,
                                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                                value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
    }

    private List<ConsumerRecord<byte[], byte[]>> consume(String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> out =
                kafka.read(topic, atLeast, Duration.ofSeconds(60));
        assertThat(out).as("records on " + topic).hasSizeGreaterThanOrEqualTo(atLeast);
        return out;
    }

    private void awaitUntil(BooleanSupplier condition) {
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException t) {
            if (job != null) {
                dumpState(job);
            }
            throw t;
        }
    }

    private JsonNode request(String method, String path, String body) {
        try {
            HttpRequest req =
                    HttpRequest.newBuilder(URI.create(es.url() + path))
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body))
                            .build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(resp.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
