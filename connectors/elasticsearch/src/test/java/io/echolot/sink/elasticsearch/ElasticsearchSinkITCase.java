package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.index.DocumentConverter;
import io.echolot.index.DocumentRequest;
import io.echolot.index.ElasticsearchIds;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink in real Flink jobs against the real Elasticsearch (and Kafka for dead letters). */
class ElasticsearchSinkITCase {

    private static final String TEMPLATE = "echolot-sinktest";
    private static final String TEMPLATE_RESOURCE = "echolot-test/templates/sinktest.json";

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    private static ElasticsearchTestServer es;
    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        es = TestServers.elasticsearch();
        client = config(es.url()).createClient();
    }

    @AfterAll
    static void disconnect() throws IOException {
        client.close();
    }

    @Test
    @Timeout(120)
    void writesEveryDocumentOfAJob() throws Exception {
        String index = es.randomIndex("sinktest");
        List<SinkTestDocument> documents = documents("doc", 1_000);

        JobExecutionResult result = run(documents, sink(es.url(), index).build());

        assertThat(count(index)).isEqualTo(1_000);
        assertThat(counter(result.getJobID(), "documentsSent")).isEqualTo(1_000);
        assertThat(counter(result.getJobID(), "documentsDeadLettered")).isZero();
        assertThat(counter(result.getJobID(), "documentsRetried")).isZero();
    }

    @Test
    @Timeout(120)
    void replayingTheSameInputLeavesNoDuplicates() throws Exception {
        String index = es.randomIndex("sinktest");
        List<SinkTestDocument> documents = documents("replay", 300);

        run(documents, sink(es.url(), index).build());
        run(documents, sink(es.url(), index).build());

        assertThat(count(index)).isEqualTo(300);
    }

    @Test
    @Timeout(120)
    void upsertsMergeIntoExistingDocumentsAndDeletesRemoveThem() throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> names = new ArrayList<>();
        List<SinkTestDocument> counts = new ArrayList<>();
        List<SinkTestDocument> deletes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(new SinkTestDocument("u-" + i, "{\"name\":\"u-" + i + "\"}"));
            counts.add(new SinkTestDocument("u-" + i, "{\"count\":" + i + "}"));
            if (i < 4) {
                deletes.add(new SinkTestDocument("u-" + i, ""));
            }
        }
        // deleting what is not there is what the caller wanted: not a dead letter
        deletes.add(new SinkTestDocument("u-never-written", ""));

        run(names, sink(es.url(), index, DocumentRequest.Op.UPSERT).build());
        run(counts, sink(es.url(), index, DocumentRequest.Op.UPSERT).build());
        run(
                deletes,
                sink(es.url(), index, DocumentRequest.Op.DELETE)
                        .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                        .build());

        assertThat(count(index)).isEqualTo(6);
        assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = client.get(g -> g.index(index).id("u-7"), Map.class).source();
        assertThat(merged).containsEntry("name", "u-7").containsEntry("count", 7);
    }

    @Test
    @Timeout(120)
    void anOlderVersionWrittenLateNeverOverwritesANewerOne() throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        run(
                List.of(versioned("a", 3), versioned("b", 3), versioned("c", 3)),
                versionedSink(index, key));

        // a: an older state arrives late; b: the same state again (a replay); c: a newer state
        JobExecutionResult result =
                run(
                        List.of(versioned("a", 1), versioned("b", 3), versioned("c", 5)),
                        versionedSink(index, key));

        assertThat(count(index)).isEqualTo(3);
        assertThat(storedVersion(index, "a")).isEqualTo(3);
        assertThat(storedVersion(index, "b")).isEqualTo(3);
        assertThat(storedVersion(index, "c")).isEqualTo(5);
        assertThat(counter(result.getJobID(), "documentsSuperseded")).isEqualTo(1);
        assertThat(counter(result.getJobID(), "documentsSent")).isEqualTo(2);
        assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
    }

    private static SinkTestDocument versioned(String id, int version) {
        return new SinkTestDocument(id, "{\"name\":\"" + id + "\",\"count\":" + version + "}");
    }

    private ElasticsearchSink<SinkTestDocument> versionedSink(String index, String deadLetterKey) {
        return sink(es.url(), index)
                .setConverter(new VersionedByCount(index))
                .setDeadLetterHandler(new RecordingDeadLetterHandler(deadLetterKey))
                .build();
    }

    private static long storedVersion(String index, String id) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = client.get(g -> g.index(index).id(id), Map.class).source();
        return ((Number) doc.get("count")).longValue();
    }

    /** Writes each test document with its {@code count} as the external version. */
    private static final class VersionedByCount implements DocumentConverter<SinkTestDocument> {
        private static final long serialVersionUID = 1L;
        private final String index;

        VersionedByCount(String index) {
            this.index = index;
        }

        @Override
        public DocumentRequest convert(SinkTestDocument d) {
            String json = d.json();
            long version = Long.parseLong(json.replaceAll(".*\"count\":(\\d+).*", "$1"));
            return DocumentRequest.indexVersioned(
                    index, d.id(), json.getBytes(StandardCharsets.UTF_8), version);
        }
    }

    @Test
    @Timeout(120)
    void sendsADocumentThatViolatesTheMappingToTheDeadLetterTopicWithTheReason() throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("es-dead-letters", 1);
        String index = es.randomIndex("sinktest");
        List<SinkTestDocument> documents = new ArrayList<>(documents("ok", 50));
        String bad = "{\"name\":\"bad\",\"count\":\"many\"}";
        documents.add(25, new SinkTestDocument("bad-1", bad));

        JobExecutionResult result =
                run(
                        documents,
                        sink(es.url(), index)
                                .setDeadLetterHandler(
                                        new KafkaDeadLetterHandler(kafka.bootstrapServers(), topic))
                                .build());

        assertThat(count(index)).isEqualTo(50);
        assertThat(counter(result.getJobID(), "documentsDeadLettered")).isEqualTo(1);
        ConsumerRecord<byte[], byte[]> deadLetter = readOne(kafka, topic);
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo(bad);
        assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("bad-1");
        Map<String, String> headers = headers(deadLetter);
        assertThat(headers)
                .containsEntry(DeadLetterRecords.HEADER_STAGE, "elasticsearch")
                .containsEntry(DeadLetterRecords.HEADER_INDEX, index)
                .containsEntry(DeadLetterRecords.HEADER_ID, "bad-1")
                .containsEntry(DeadLetterRecords.HEADER_OP, "INDEX");
        assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                .startsWith("status 400 document_parsing_exception")
                .contains("[count]");
    }

    @Test
    @Timeout(120)
    void retriesItemsRejectedWith429AndThenWritesThem() throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> documents = documents("busy", 200);

        try (ElasticsearchProxy proxy =
                ElasticsearchProxy.start(es.url()).rejectAllItemsOfBulks(2)) {
            JobExecutionResult result =
                    run(
                            documents,
                            sink(proxy.url(), index)
                                    .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                    .build());

            assertThat(count(index)).isEqualTo(200);
            assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
            // each document was sent at most once per rejected bulk plus once successfully
            assertThat(proxy.sendsById()).hasSize(200);
            assertThat(proxy.sendsById().values())
                    .allSatisfy(sends -> assertThat(sends.get()).isBetween(1, 3));
            long retried = counter(result.getJobID(), "documentsRetried");
            assertThat(retried).isPositive().isLessThanOrEqualTo(2 * 200);
            assertThat(retried)
                    .isEqualTo(
                            proxy.sendsById().values().stream()
                                    .mapToLong(sends -> sends.get() - 1)
                                    .sum());
        }
    }

    @ParameterizedTest(name = "{0} per item for 6 s")
    @ValueSource(ints = {429, 503})
    @Timeout(120)
    void neverDeadLettersItemsRejectedForAWhileAndWritesThemOnceAccepted(int status)
            throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> documents = documents("overload", 300);

        try (ElasticsearchProxy proxy =
                ElasticsearchProxy.start(es.url())
                        .rejectAllItemsFor(Duration.ofSeconds(6), status)) {
            long start = System.nanoTime();
            JobExecutionResult result =
                    run(
                            documents,
                            sink(proxy.url(), index)
                                    .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                    .build());
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
            assertThat(count(index)).isEqualTo(300);
            assertThat(counter(result.getJobID(), "documentsDeadLettered")).isZero();
            assertThat(counter(result.getJobID(), "documentsSent")).isEqualTo(300);
            // far more attempts than the old budget of 5 retries allowed, and none given up
            assertThat(
                            proxy.sendsById().values().stream()
                                    .mapToInt(AtomicInteger::get)
                                    .max()
                                    .orElse(0))
                    .isGreaterThan(6);
            System.out.printf(
                    "FAULT item %d for 6 s: %d documents retried, %d bulks, job took %d ms%n",
                    status,
                    counter(result.getJobID(), "documentsRetried"),
                    proxy.bulkRequests(),
                    tookMs);
        }
    }

    @ParameterizedTest(name = "{0} per request for 6 s")
    @ValueSource(ints = {429, 503})
    @Timeout(120)
    void neverDeadLettersWholeRequestsRejectedForAWhile(int status) throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> documents = documents("outage", 300);

        try (ElasticsearchProxy proxy =
                ElasticsearchProxy.start(es.url())
                        .failWholeBulksFor(Duration.ofSeconds(6), status)) {
            JobExecutionResult result =
                    run(
                            documents,
                            sink(proxy.url(), index)
                                    .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                    .build());

            assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
            assertThat(count(index)).isEqualTo(300);
            assertThat(counter(result.getJobID(), "documentsDeadLettered")).isZero();
            assertThat(counter(result.getJobID(), "bulkRequestsFailed")).isGreaterThan(6);
        }
    }

    /**
     * The real server's write blocks: {@code read_only_allow_delete} is what Elasticsearch sets at
     * the flood-stage disk watermark, {@code write} what an operator sets. The sink must hold the
     * documents while the index is blocked and write every one of them once the block is lifted.
     */
    @ParameterizedTest(name = "index.blocks.{0}")
    @ValueSource(strings = {"read_only_allow_delete", "write"})
    @Timeout(180)
    void holdsDocumentsWhileTheIndexIsWriteBlockedAndWritesThemWhenItIsLifted(String block)
            throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> documents = documents("blocked", 500);
        client.indices().create(c -> c.index(index));
        setBlock(index, block, true);

        // what this server answers for a blocked index, as the retry rules expect
        co.elastic.clients.elasticsearch.core.BulkResponse probe =
                client.bulk(
                        b ->
                                b.operations(
                                        o ->
                                                o.index(
                                                        i ->
                                                                i.index(index)
                                                                        .id("probe")
                                                                        .document(
                                                                                Map.of("n", 1)))));
        co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem probeItem =
                probe.items().get(0);
        assertThat(probeItem.error()).isNotNull();
        assertThat(probeItem.error().type()).isEqualTo("cluster_block_exception");
        assertThat(probeItem.status())
                .isEqualTo(block.equals("read_only_allow_delete") ? 429 : 403);
        System.out.printf(
                "FAULT index.blocks.%s: bulk item answered %s%n",
                block, ElasticsearchSinkWriter.describe(probeItem));

        JobClient job =
                start(
                        documents,
                        sink(es.url(), index)
                                .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                .build());
        try {
            JobID id = job.getJobID();
            waitUntil(Duration.ofSeconds(60), () -> counterIfRunning(id, "documentsRetried") > 0);
            // far past the old retry budget (5 retries within about a second here)
            Thread.sleep(8_000);
            assertThat(count(index)).isZero();
            assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
            assertThat(counterIfRunning(id, "documentsDeadLettered")).isZero();
            assertThat(gaugeMax(id, "oldestPendingRetryAgeMs")).isGreaterThan(7_000L);
            assertThat(gaugeSum(id, "documentsPendingRetry")).isPositive();

            long lifted = System.nanoTime();
            setBlock(index, block, false);
            JobExecutionResult result = job.getJobExecutionResult().get();
            long recoveryMs = (System.nanoTime() - lifted) / 1_000_000;

            assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
            assertThat(count(index)).isEqualTo(500);
            assertThat(counter(result.getJobID(), "documentsSent")).isEqualTo(500);
            assertThat(counter(result.getJobID(), "documentsDeadLettered")).isZero();
            System.out.printf(
                    "FAULT index.blocks.%s: 500 documents held, %d retries, 0 dead letters;"
                            + " all indexed %d ms after the block was lifted%n",
                    block, counter(result.getJobID(), "documentsRetried"), recoveryMs);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
    }

    private static void setBlock(String index, String block, boolean on) throws IOException {
        client.indices()
                .putSettings(
                        p ->
                                p.index(index)
                                        .settings(
                                                s ->
                                                        s.blocks(
                                                                b ->
                                                                        block.equals("write")
                                                                                ? b.write(on)
                                                                                : b
                                                                                        .readOnlyAllowDelete(
                                                                                                on))));
    }

    @Test
    @Timeout(120)
    void aMissingTemplateIsCreatedOnceAndARestartSendsItNoMore() throws Exception {
        String index = es.randomIndex("sinktest");
        String template = "/_index_template/" + TEMPLATE;
        try (org.elasticsearch.client.RestClient rest = config(es.url()).createRestClient()) {
            org.elasticsearch.client.Request delete =
                    new org.elasticsearch.client.Request("DELETE", template);
            delete.addParameter("ignore", "404");
            rest.performRequest(delete);
        }

        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url())) {
            // both writer subtasks find the template missing; one creates it
            run(documents("template", 20), sink(proxy.url(), index).build());
            assertThat(proxy.answered("PUT", template, 200)).isEqualTo(1);
            assertThat(proxy.requests("GET", template)).isGreaterThanOrEqualTo(2);
            long putsAtFirstStart = proxy.requests("PUT", template);

            // a restart: both subtasks read the version and send nothing
            run(documents("template", 20), sink(proxy.url(), index).build());
            assertThat(proxy.requests("PUT", template)).isEqualTo(putsAtFirstStart);
            assertThat(count(index)).isEqualTo(20);
        }
        // the first document already found the template: the index has its strict mapping
        assertThat(client.indices().getMapping(m -> m.index(index)).get(index).mappings().dynamic())
                .isEqualTo(co.elastic.clients.elasticsearch._types.mapping.DynamicMapping.Strict);
    }

    @Test
    @Timeout(120)
    void dropsNothingWhileWholeBulkRequestsFail() throws Exception {
        String index = es.randomIndex("sinktest");
        List<SinkTestDocument> documents = documents("outage", 100);

        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url()).failWholeBulks(4)) {
            JobExecutionResult result = run(documents, sink(proxy.url(), index).build());

            assertThat(count(index)).isEqualTo(100);
            assertThat(counter(result.getJobID(), "bulkRequestsFailed")).isEqualTo(4);
            assertThat(counter(result.getJobID(), "documentsDeadLettered")).isZero();
        }
    }

    @Test
    @Timeout(120)
    void failsTheJobWithAClearMessageWhenCredentialsAreRejected() throws Exception {
        String index = es.randomIndex("sinktest");
        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url()).unauthorized()) {
            ElasticsearchSink<SinkTestDocument> sink =
                    ElasticsearchSink.<SinkTestDocument>builder()
                            .setConfig(
                                    ElasticsearchConfig.builder()
                                            .hosts(proxy.url())
                                            .basicAuth(
                                                    "echolot",
                                                    SecretSource.file(
                                                            java.nio.file.Files.writeString(
                                                                            java.nio.file.Files
                                                                                    .createTempFile(
                                                                                            "es-password",
                                                                                            ""),
                                                                            "wrong")
                                                                    .toString()))
                                            .build())
                            .setConverter(new SinkTestDocumentConverter(index))
                            .build();

            assertThatThrownBy(() -> run(documents("auth", 10), sink))
                    .hasStackTraceContaining(
                            "Elasticsearch rejected the credentials (401) — check --es-username /"
                                    + " ECHOLOT_ES_PASSWORD / API key");
        }
    }

    @Test
    @Timeout(120)
    void indexesIdsOverElasticsearchsLimitUnderAStableHashFindableByTheOriginal() throws Exception {
        String index = es.randomIndex("sinktest");
        String cjk = "語".repeat(250); // 750 bytes, valid for the mention schema
        String ascii = "a".repeat(599) + "z"; // 600 bytes
        List<SinkTestDocument> documents = new ArrayList<>(documents("short", 20));
        documents.add(SinkTestDocument.valid(cjk, 1));
        documents.add(SinkTestDocument.valid(ascii, 2));
        String key = UUID.randomUUID().toString();

        JobExecutionResult first =
                run(
                        documents,
                        sink(es.url(), index)
                                .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                .build());
        // a replay overwrites instead of adding copies
        run(documents, sink(es.url(), index).build());

        assertThat(RecordingDeadLetterHandler.recorded(key)).isEmpty();
        assertThat(counter(first.getJobID(), "documentsSent")).isEqualTo(22);
        assertThat(count(index)).isEqualTo(22);
        for (String id : List.of(cjk, ascii)) {
            assertThat(
                            client.count(
                                            c ->
                                                    c.index(index)
                                                            .query(
                                                                    q ->
                                                                            q.term(
                                                                                    t ->
                                                                                            t.field(
                                                                                                            "name")
                                                                                                    .value(
                                                                                                            id))))
                                    .count())
                    .as("documents named by the original id")
                    .isEqualTo(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> stored =
                    client.get(g -> g.index(index).id(ElasticsearchIds.of(id)), Map.class).source();
            assertThat(stored).containsEntry("name", id);
        }
        assertThat(ElasticsearchIds.of(cjk)).startsWith(ElasticsearchIds.HASH_PREFIX);
        assertThat(client.get(g -> g.index(index).id("short-3"), Map.class).found()).isTrue();
    }

    @Test
    @Timeout(120)
    void splitsABulkElasticsearchRefusesAsAWholeAndDeadLettersOnlyTheRefusedDocument()
            throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> documents = new ArrayList<>(documents("fine", 60));
        // an upsert body is parsed with the request: a broken one fails the whole bulk with 400
        documents.add(17, new SinkTestDocument("broken-1", "{\"name\":\"broken-1\""));

        JobExecutionResult result =
                run(
                        documents,
                        sink(es.url(), index, DocumentRequest.Op.UPSERT)
                                .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                .build());

        assertThat(count(index)).isEqualTo(60);
        List<RecordingDeadLetterHandler.DeadLetter> deadLetters =
                RecordingDeadLetterHandler.recorded(key);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).request().id()).isEqualTo("broken-1");
        assertThat(deadLetters.get(0).reason())
                .startsWith("Elasticsearch refused the bulk request with status 400");
        assertThat(counter(result.getJobID(), "documentsDeadLettered")).isEqualTo(1);
        assertThat(counter(result.getJobID(), "bulkRequestsSplit")).isPositive();
        assertThat(counter(result.getJobID(), "documentsSent")).isEqualTo(60);
    }

    @Test
    @Timeout(180)
    void deadLettersAnOversizedDocumentToKafkaTruncatedAndKeepsWriting() throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("es-dead-letters", 1);
        String index = es.randomIndex("sinktest");
        List<SinkTestDocument> documents = new ArrayList<>(documents("small", 40));
        String huge = "x".repeat(4 * 1024 * 1024);
        documents.add(20, SinkTestDocument.valid("huge-1", 1).withName(huge));

        JobExecutionResult result =
                run(
                        documents,
                        sink(es.url(), index)
                                .setMaxRecordSizeInBytes(1024 * 1024)
                                .setDeadLetterHandler(
                                        new KafkaDeadLetterHandler(kafka.bootstrapServers(), topic))
                                .build());

        assertThat(count(index)).isEqualTo(40);
        assertThat(counter(result.getJobID(), "documentsDeadLettered")).isEqualTo(1);
        ConsumerRecord<byte[], byte[]> deadLetter = readOne(kafka, topic);
        int original = ("{\"name\":\"" + huge + "\",\"count\":1}").length();
        assertThat(deadLetter.value())
                .hasSize(io.echolot.deadletter.DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES);
        assertThat(new String(deadLetter.value(), 0, 20, StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"xxxxxxxxxxx");
        assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("huge-1");
        Map<String, String> headers = headers(deadLetter);
        assertThat(headers)
                .containsEntry(DeadLetterRecords.HEADER_ID, "huge-1")
                .containsEntry(DeadLetterRecords.HEADER_ES_ID, "huge-1")
                .containsEntry(DeadLetterRecords.HEADER_TRUNCATED, "value")
                .containsEntry(
                        DeadLetterRecords.HEADER_ORIGINAL_VALUE_BYTES, Integer.toString(original));
        assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                .startsWith("the document takes ")
                .contains("more than the sink's limit of 1048576 bytes per document")
                .endsWith(
                        "[value truncated from "
                                + original
                                + " to "
                                + io.echolot.deadletter.DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES
                                + " bytes]");
    }

    @Test
    @Timeout(120)
    void deadLettersAnElementTheConverterFailsOnAndWritesTheRest() throws Exception {
        String index = es.randomIndex("sinktest");
        String key = UUID.randomUUID().toString();
        List<SinkTestDocument> documents = new ArrayList<>(documents("ok", 30));
        documents.add(10, SinkTestDocument.valid("boom-1", 1));

        JobExecutionResult result =
                run(
                        documents,
                        sink(es.url(), index)
                                .setConverter(new FailingOnBoom(index))
                                .setDeadLetterHandler(new RecordingDeadLetterHandler(key))
                                .build());

        assertThat(count(index)).isEqualTo(30);
        List<RecordingDeadLetterHandler.ElementDeadLetter> elements =
                RecordingDeadLetterHandler.recordedElements(key);
        assertThat(elements).hasSize(1);
        assertThat(elements.get(0).element()).isEqualTo(SinkTestDocument.valid("boom-1", 1));
        assertThat(elements.get(0).reason())
                .isEqualTo(
                        "the converter failed: java.lang.IllegalStateException: cannot convert"
                                + " boom-1");
        assertThat(counter(result.getJobID(), "documentsDeadLettered")).isEqualTo(1);
    }

    /** Throws for documents whose id starts with "boom", as a converter with a bug would. */
    private static final class FailingOnBoom implements DocumentConverter<SinkTestDocument> {
        private static final long serialVersionUID = 1L;
        private final SinkTestDocumentConverter delegate;

        FailingOnBoom(String index) {
            this.delegate = new SinkTestDocumentConverter(index);
        }

        @Override
        public DocumentRequest convert(SinkTestDocument d) {
            if (d.id().startsWith("boom")) {
                throw new IllegalStateException("cannot convert " + d.id());
            }
            return delegate.convert(d);
        }
    }

    private static ElasticsearchSink.Builder<SinkTestDocument> sink(String url, String index) {
        return sink(url, index, DocumentRequest.Op.INDEX);
    }

    private static ElasticsearchSink.Builder<SinkTestDocument> sink(
            String url, String index, DocumentRequest.Op op) {
        return ElasticsearchSink.<SinkTestDocument>builder()
                .setConfig(config(url))
                .setConverter(new SinkTestDocumentConverter(index, op))
                .setMaxBatchSize(50)
                .setMaxTimeInBufferMS(200)
                .setInitialBackoff(Duration.ofMillis(20))
                .setMaxBackoff(Duration.ofMillis(200))
                .addIndexTemplate(TEMPLATE, TEMPLATE_RESOURCE);
    }

    private static ElasticsearchConfig config(String url) {
        return ElasticsearchConfig.builder()
                .hosts(url)
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    private static JobExecutionResult run(
            List<SinkTestDocument> documents, ElasticsearchSink<SinkTestDocument> sink)
            throws Exception {
        return start(documents, sink).getJobExecutionResult().get();
    }

    private static JobClient start(
            List<SinkTestDocument> documents, ElasticsearchSink<SinkTestDocument> sink)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.fromData(documents)
                .name("test-documents")
                .uid("test-documents")
                .sinkTo(sink)
                .name("elasticsearch")
                .uid("elasticsearch");
        return env.executeAsync("elasticsearch-sink-it");
    }

    private static List<SinkTestDocument> documents(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> SinkTestDocument.valid(prefix + "-" + i, i))
                .collect(Collectors.toList());
    }

    private static long count(String index) throws IOException {
        client.indices().refresh(r -> r.index(index));
        return client.count(c -> c.index(index)).count();
    }

    /** Sum over the writer subtasks of one of the sink's counters. */
    private static long counter(JobID job, String name) {
        long sum = 0;
        List<OperatorMetricGroup> writers =
                METRICS.findOperatorMetricGroups(job, "elasticsearch.*Writer");
        assertThat(writers).as("writer metric groups").hasSize(2);
        for (OperatorMetricGroup writer : writers) {
            Metric metric = METRICS.getMetricsByGroup(writer).get(name);
            assertThat(metric).as(name).isInstanceOf(Counter.class);
            sum += ((Counter) metric).getCount();
        }
        return sum;
    }

    /** Like {@link #counter} while the job runs: 0 until both writers registered their metrics. */
    private static long counterIfRunning(JobID job, String name) {
        List<OperatorMetricGroup> writers =
                METRICS.findOperatorMetricGroups(job, "elasticsearch.*Writer");
        // a writer's group exists before its constructor (which connects first) adds the metrics
        if (writers.size() < 2
                || writers.stream()
                        .anyMatch(
                                w ->
                                        !(METRICS.getMetricsByGroup(w).get(name)
                                                instanceof Counter))) {
            return 0;
        }
        return counter(job, name);
    }

    private static long gaugeMax(JobID job, String name) {
        return gaugeValues(job, name).stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static long gaugeSum(JobID job, String name) {
        return gaugeValues(job, name).stream().mapToLong(Long::longValue).sum();
    }

    private static List<Long> gaugeValues(JobID job, String name) {
        List<Long> values = new ArrayList<>();
        for (OperatorMetricGroup writer :
                METRICS.findOperatorMetricGroups(job, "elasticsearch.*Writer")) {
            Metric metric = METRICS.getMetricsByGroup(writer).get(name);
            assertThat(metric).as(name).isInstanceOf(Gauge.class);
            values.add(((Number) ((Gauge<?>) metric).getValue()).longValue());
        }
        return values;
    }

    private static void waitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
        Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    private static ConsumerRecord<byte[], byte[]> readOne(KafkaTestServer kafka, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).as("dead letters in " + topic).hasSize(1);
            return records.get(0);
        }
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
