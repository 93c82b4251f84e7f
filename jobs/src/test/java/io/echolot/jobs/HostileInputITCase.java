package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.ingest.FanOutLimits;
import io.echolot.ingest.MentionParser;
import io.echolot.jobs.HostileRecords.Hostile;
import io.echolot.jobs.HostileRecords.Kind;
import io.echolot.json.Json;
import io.echolot.model.Mention;
import io.echolot.sink.webhook.WebhookSignature;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz run: 10^5 hostile records ({@link HostileRecords}) through the whole job on a
 * MiniCluster, against the real Kafka broker, the real Elasticsearch server and a real HTTP
 * receiver for the webhooks (JSON, Slack, Teams). The job runs without a restart strategy, so a
 * single task failure fails it. Asserts: the job is still running with an empty exception history
 * and completed checkpoints; every record is accounted for (indexed, dead-lettered once with stage
 * and reason, or on the late topic); every valid one is indexed under its own id; every alert state
 * is in Elasticsearch and was delivered to every endpoint or dead-lettered with a reason; no chat
 * message carries a Slack broadcast or a link that is not http(s).
 *
 * <p>Prints the figures of the run (records, records/s, outcomes per kind) for RELIABILITY.md.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class HostileInputITCase {

    private final IndexingJobRunner indexing = new IndexingJobRunner();

    @AfterEach
    void stopIndexingJobs() throws Exception {
        indexing.close();
    }

    private static final int RECORDS = 100_000;
    private static final int ADVERSE_EVENTS = 150;
    private static final int COMPLAINTS = 60;
    private static final int MAX_EVENT_BYTES = 131_072;
    private static final int MAX_BRANDS = 10;
    private static final int MAX_TOPICS = 20;
    private static final Duration MAX_EVENT_AGE = Duration.ofDays(7);

    /** The test's time limit ({@code @Timeout}): the job reads every record before it. */
    private static final Duration TEST_LIMIT = Duration.ofSeconds(900);

    private static final String SECRET = "fuzz-secret-0123456789abcdef";

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

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String pharma = "fuzzpharma" + run;
    private final String care = "fuzzcare" + run;
    private final String account = "fuzzcare_" + run;

    @TempDir Path dir;
    private HttpServer receiver;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    /** One request at the webhook receiver. */
    private record Received(String path, Map<String, String> headers, byte[] body) {}

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void hostileRecordsNeitherStopTheJobNorVanish() throws Exception {
        Instant now = Instant.now();
        HostileRecords generator =
                new HostileRecords(
                        20261206L,
                        now,
                        pharma,
                        "Pharmazol" + run,
                        care,
                        "Carezon" + run,
                        account,
                        MAX_EVENT_BYTES);
        List<Hostile> records = new ArrayList<>();
        // the complaints are the oldest posts: they go first, so the watermark has not passed them
        records.addAll(generator.complaints(COMPLAINTS, Duration.ofMinutes(40)));
        records.addAll(generator.adverseEvents(ADVERSE_EVENTS));
        records.addAll(generator.mixed(RECORDS - COMPLAINTS - ADVERSE_EVENTS));

        String mentions = kafka.createTopic("fuzz-mentions", 2);
        String dlq = kafka.createTopic("fuzz-dlq", 1);
        String late = kafka.createTopic("fuzz-late", 1);
        String alerts = kafka.createTopic("fuzz-alerts", 1);
        String webhookDlq = kafka.createTopic("fuzz-webhooks-dlq", 1);
        startReceiver();

        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Hostile h : records) {
            out.add(new ProducerRecord<>(mentions, h.key(), h.value()));
        }
        kafka.send(mentions, out);

        Oracle oracle = new Oracle(records, now);
        JobOptions options = options(mentions, dlq, late, alerts, webhookDlq);
        long started = System.nanoTime();
        JobClient job = start(options);
        try {
            // checkpoints triggered while tasks are still being deployed count as failed (they
            // never start): what counts is that none fails once the job runs
            awaitUntil(Duration.ofMinutes(2), () -> allTasksRunning(job));
            int failedAtStart = rest(job, "/checkpoints").path("counts").path("failed").asInt();
            // until every expected mention is indexed, or the count stopped moving (then the
            // accounting below says which records are missing)
            long[] last = {-1, System.nanoTime()};
            awaitUntil(
                    Duration.ofMinutes(8),
                    () -> {
                        assertRunning(job);
                        long count = countMentions();
                        if (count != last[0]) {
                            last[0] = count;
                            last[1] = System.nanoTime();
                        }
                        return count >= oracle.indexedIds.size()
                                || (count > 0 && System.nanoTime() - last[1] > 30e9);
                    });
            Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new HashMap<>();
            List<String> duplicateDeadLetters = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    readUntilAll(dlq, oracle.deadLetterKeys, Duration.ofMinutes(5))) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (deadLetters.put(key, r) != null) {
                    duplicateDeadLetters.add(key);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            List<ConsumerRecord<byte[], byte[]>> alertStates = awaitAlerts(alerts);
            Set<String> lateIds = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    readUntilAll(late, oracle.tooOldIds, Duration.ofMinutes(5))) {
                lateIds.add(new String(r.key(), StandardCharsets.UTF_8));
            }
            refresh();
            Set<String> indexed = indexedIds();
            // a byte flip can change the brand and the name in the text: look those up by id
            Set<String> notFound = new HashSet<>(oracle.allIds);
            notFound.removeAll(indexed);
            Set<String> elsewhere = idsIndexedAmong(notFound);

            // ---- every record accounted for
            assertThat(duplicateDeadLetters).as("records dead-lettered twice").isEmpty();
            Map<Kind, Map<String, Integer>> outcomes = new EnumMap<>(Kind.class);
            List<String> problems = new ArrayList<>();
            for (Hostile h : records) {
                String key = "r" + h.seq();
                ConsumerRecord<byte[], byte[]> dead = deadLetters.get(key);
                Mention parsed = oracle.parsed.get(h.seq());
                String outcome;
                if (dead != null) {
                    outcome =
                            oracle.readTimeDependent.contains(h.seq())
                                    ? "dead-lettered (too far in the future when read)"
                                    : "dead-lettered";
                    if (header(dead, DeadLetterRecords.HEADER_REASON).isBlank()
                            || header(dead, DeadLetterRecords.HEADER_STAGE).isBlank()) {
                        problems.add(key + " dead-lettered without stage or reason");
                    }
                } else if (parsed != null && lateIds.contains(parsed.id())) {
                    outcome = indexed.contains(parsed.id()) ? "indexed and late" : "too old";
                } else if (parsed != null && indexed.contains(parsed.id())) {
                    outcome = "indexed";
                } else if (parsed != null && elsewhere.contains(parsed.id())) {
                    outcome = "indexed under other brands";
                } else if (parsed != null && oracle.unmatched.contains(h.seq())) {
                    outcome = "about no brand";
                } else {
                    outcome = "missing";
                    problems.add(
                            key
                                    + " ("
                                    + h.kind()
                                    + ") vanished"
                                    + (parsed == null
                                            ? ""
                                            : ": parsed as "
                                                    + HostileRecordsParsingTest.escape(
                                                            parsed.id()
                                                                    + " at "
                                                                    + parsed.createdAt()
                                                                    + " brands "
                                                                    + parsed.brands()
                                                                    + " text "
                                                                    + parsed.text())));
                }
                outcomes.computeIfAbsent(h.kind(), k -> new TreeMap<>())
                        .merge(outcome, 1, Integer::sum);
                switch (h.expect()) {
                    case INDEXED -> {
                        if (dead != null || !indexed.contains(h.id())) {
                            problems.add(
                                    key
                                            + " ("
                                            + h.kind()
                                            + ") is valid but not indexed: "
                                            + outcome);
                        }
                    }
                    case DEAD_LETTER -> {
                        if (dead == null) {
                            problems.add(key + " (" + h.kind() + ") is broken but " + outcome);
                        }
                    }
                    case TOO_OLD -> {
                        if (!lateIds.contains(h.id()) || indexed.contains(h.id())) {
                            problems.add(key + " is too old but " + outcome);
                        }
                    }
                    case ANY -> {}
                }
            }
            System.out.printf(
                    "fuzz run: %d records in %.1f s (%.0f records/s until all were accounted"
                            + " for), %d alert states; outcomes: %s%n",
                    records.size(),
                    seconds,
                    records.size() / seconds,
                    alertStates.size(),
                    outcomes);
            assertThat(problems).as("records not accounted for as expected").isEmpty();
            assertThat(indexed).as("indexed ids that were never sent").isSubsetOf(oracle.allIds);
            assertThat(oldestMentionIndex())
                    .as("no mentions index older than --max-event-age")
                    .isAfterOrEqualTo(
                            LocalDate.ofInstant(
                                    now.minus(MAX_EVENT_AGE).minus(Duration.ofDays(1)),
                                    ZoneOffset.UTC));

            // ---- every alert stored and delivered
            assertAlertsStoredAndDelivered(alertStates, webhookDlq);

            // ---- the job never failed, and checkpoints complete
            assertRunning(job);
            JsonNode checkpoints = rest(job, "/checkpoints");
            List<String> failures = new ArrayList<>();
            for (JsonNode c : checkpoints.path("history")) {
                if (c.path("status").asText().equals("FAILED")) {
                    failures.add(c.path("id") + ": " + c.path("failure_message").asText());
                }
            }
            assertThat(checkpoints.path("counts").path("completed").asInt())
                    .as("completed checkpoints")
                    .isPositive();
            assertThat(checkpoints.path("counts").path("failed").asInt())
                    .as("checkpoints failed while the job ran: %s", failures)
                    .isEqualTo(failedAtStart);
            assertThat(failures).as("failed checkpoints").isEmpty();
            assertThat(rest(job, "/exceptions").path("exceptionHistory").path("entries"))
                    .as("exception history")
                    .isEmpty();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private void assertAlertsStoredAndDelivered(
            List<ConsumerRecord<byte[], byte[]>> states, String webhookDlq) throws IOException {
        Map<String, Integer> latest = new HashMap<>();
        Map<String, Integer> adverse = new HashMap<>();
        Map<String, Integer> unanswered = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : states) {
            JsonNode a = Json.mapper().readTree(r.value());
            String id = a.path("id").asText();
            int version = a.path("version").asInt();
            latest.merge(id, version, Math::max);
            if (a.path("type").asText().equals("adverse_event")) {
                adverse.merge(id, 1, Integer::sum);
            }
            if (a.path("type").asText().equals("unanswered")) {
                unanswered.merge(id, 1, Integer::sum);
            }
        }
        assertThat(adverse)
                .as("one adverse-event alert per side-effect post")
                .hasSize(ADVERSE_EVENTS);
        assertThat(unanswered).as("one unanswered alert per complaint").hasSize(COMPLAINTS);

        // Elasticsearch holds the latest state of each alert (its writes become readable for the
        // indexing job with the same checkpoint as the alerts topic's, and take it a moment more)
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            Map<String, Integer> stored = new HashMap<>();
                            for (JsonNode hit :
                                    scroll(
                                            "echolot-alerts-*",
                                            "{\"terms\":{\"brand\":[\""
                                                    + pharma
                                                    + "\",\""
                                                    + care
                                                    + "\"]}}",
                                            "[\"id\",\"version\"]")) {
                                stored.put(
                                        hit.path("_source").path("id").asText(),
                                        hit.path("_source").path("version").asInt());
                            }
                            assertThat(stored)
                                    .as("alerts in Elasticsearch, latest versions")
                                    .isEqualTo(latest);
                        });

        // every state reached every endpoint, or its dead letter says why
        Set<String> jsonDelivered = new HashSet<>();
        Map<String, Integer> perEndpoint = new HashMap<>();
        for (Received r : received) {
            perEndpoint.merge(r.path(), 1, Integer::sum);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            switch (r.path()) {
                case "/json" -> {
                    assertThat(
                                    WebhookSignature.verify(
                                            SECRET,
                                            r.headers().get("x-echolot-signature"),
                                            r.headers().get("x-echolot-timestamp"),
                                            r.body(),
                                            Instant.now(),
                                            Duration.ofMinutes(30)))
                            .as("signature of a JSON delivery")
                            .isEqualTo(WebhookSignature.Verdict.OK);
                    JsonNode a = Json.mapper().readTree(r.body());
                    jsonDelivered.add(a.path("id").asText() + "#" + a.path("version").asInt());
                }
                case "/slack" -> {
                    Json.mapper().readTree(r.body());
                    assertThat(body).as("Slack message").doesNotContain("<!").doesNotContain("<@");
                    assertThat(body)
                            .as("Slack links")
                            .doesNotContainPattern("<(?!https?://)[a-z]+:");
                }
                case "/teams" -> {
                    JsonNode card = Json.mapper().readTree(r.body());
                    for (JsonNode url : card.findValues("url")) {
                        assertThat(url.asText()).as("Teams link").matches("https?://.*");
                    }
                }
                default -> throw new AssertionError("unexpected path " + r.path());
            }
            r.headers()
                    .values()
                    .forEach(v -> assertThat(v).as("header value").matches("\\p{ASCII}*"));
        }
        Map<String, Set<String>> deadPerEndpoint = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(webhookDlq, 0, Duration.ofSeconds(5))) {
            assertThat(header(r, "echolot.dlq.reason")).isNotBlank();
            JsonNode a = Json.mapper().readTree(r.value());
            deadPerEndpoint
                    .computeIfAbsent(header(r, "echolot.dlq.endpoint"), k -> new HashSet<>())
                    .add(a.path("id").asText() + "#" + a.path("version").asInt());
        }
        Set<String> allStates = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : states) {
            JsonNode a = Json.mapper().readTree(r.value());
            allStates.add(a.path("id").asText() + "#" + a.path("version").asInt());
        }
        for (String state : allStates) {
            assertThat(
                            jsonDelivered.contains(state)
                                    || deadPerEndpoint
                                            .getOrDefault("fuzz-json", Set.of())
                                            .contains(state))
                    .as("alert state " + state + " delivered to the JSON endpoint or dead-lettered")
                    .isTrue();
        }
        for (String endpoint : List.of("slack", "teams")) {
            int delivered = perEndpoint.getOrDefault("/" + endpoint, 0);
            int dead = deadPerEndpoint.getOrDefault("fuzz-" + endpoint, Set.of()).size();
            assertThat(delivered + dead)
                    .as(endpoint + " deliveries and dead letters")
                    .isGreaterThanOrEqualTo(allStates.size());
        }
        System.out.printf(
                "fuzz run alerts: %d alerts, %d states; deliveries per endpoint %s; webhook dead"
                        + " letters %s%n",
                latest.size(), allStates.size(), perEndpoint, deadPerEndpoint.keySet());
    }

    /** Which records must end where, from the product's own parser applied to what was sent. */
    private final class Oracle {
        final Map<Integer, Mention> parsed = new HashMap<>();
        final Set<String> indexedIds = new HashSet<>();
        final Set<String> allIds = new HashSet<>();
        final Set<Integer> unmatched = new HashSet<>();
        int deadLetters;

        /** Keys of the records that must become dead letters at parsing. */
        final Set<String> deadLetterKeys = new HashSet<>();

        /** Ids of the mentions that must go to the late topic as too old. */
        final Set<String> tooOldIds = new HashSet<>();

        int tooOld;

        /**
         * Records whose fate depends on when the job reads them: created_at lies beyond the
         * parser's clock-skew bound ({@code --max-event-future}) at the send, but not any more
         * within the test's own time limit (a byte flip in the minutes of a recent post can do
         * that). Such a record is a dead letter or a mention, never missing.
         */
        final Set<Integer> readTimeDependent = new HashSet<>();

        Oracle(List<Hostile> records, Instant now) {
            MentionParser parser =
                    new MentionParser(
                            MAX_EVENT_BYTES,
                            Duration.ofMinutes(10),
                            Clock.systemUTC(),
                            new FanOutLimits(MAX_BRANDS, MAX_TOPICS));
            // the parser as the job may run it last: at the end of the test's time limit
            MentionParser lastRead =
                    new MentionParser(
                            MAX_EVENT_BYTES,
                            Duration.ofMinutes(10),
                            Clock.fixed(now.plus(TEST_LIMIT), ZoneOffset.UTC),
                            new FanOutLimits(MAX_BRANDS, MAX_TOPICS));
            String[] names = {
                ("Pharmazol" + run).toLowerCase(Locale.ROOT),
                ("Carezon" + run).toLowerCase(Locale.ROOT)
            };
            for (Hostile h : records) {
                MentionParser.Result r;
                try {
                    r = parser.parse(h.value());
                } catch (RuntimeException e) {
                    // HostileRecordsParsingTest reports it; here it only counts as refused
                    deadLetters++;
                    deadLetterKeys.add("r" + h.seq());
                    continue;
                }
                if (!r.ok()) {
                    MentionParser.Result later = lastRead.parse(h.value());
                    if (later.ok()) {
                        Mention m = later.mention();
                        readTimeDependent.add(h.seq());
                        parsed.put(h.seq(), m);
                        allIds.add(m.id());
                        if (m.brands().isEmpty() && !mentionsAny(m, names)) {
                            unmatched.add(h.seq());
                        }
                    } else {
                        deadLetters++;
                        deadLetterKeys.add("r" + h.seq());
                    }
                    continue;
                }
                Mention m = r.mention();
                parsed.put(h.seq(), m);
                allIds.add(m.id());
                if (m.createdAt().isBefore(now.minus(MAX_EVENT_AGE))) {
                    tooOld++;
                    tooOldIds.add(m.id());
                    continue;
                }
                if (m.brands().isEmpty() && !mentionsAny(m, names)) {
                    unmatched.add(h.seq());
                    continue;
                }
                indexedIds.add(m.id());
            }
        }

        private static boolean mentionsAny(Mention m, String[] names) {
            String text = m.text().toLowerCase(Locale.ROOT);
            return text.contains(names[0]) || text.contains(names[1]);
        }
    }

    // ---------------------------------------------------------------- the job and its parts

    private JobOptions options(
            String mentions, String dlq, String late, String alerts, String webhookDlq)
            throws IOException {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(
                rules,
                """
                brands:
                  - id: %s
                    names: [Pharmazol%s]
                    pharma: true
                    topics:
                      nebenwirkung:
                        keywords: [nebenwirkung*, schwindel*, schwindelig]
                  - id: %s
                    names: [Carezon%s]
                    handles: [%s]
                    care:
                      accounts: {any: [%s]}
                      sla: {normal: 5 min, high: 5 min}
                """
                        .formatted(pharma, run, care, run, account, account));
        Path webhooks = dir.resolve("webhooks.yaml");
        Path secret = Files.writeString(dir.resolve("webhook.secret"), SECRET);
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Files.writeString(
                webhooks,
                """
                version: 1
                endpoints:
                  - name: fuzz-json
                    url: %s/json
                    format: json
                    secret_file: %s
                    rate_per_second: 500
                    max_concurrency: 8
                    max_queued: 100000
                  - name: fuzz-slack
                    url: %s/slack
                    format: slack
                    rate_per_second: 500
                    max_concurrency: 8
                    max_queued: 100000
                  - name: fuzz-teams
                    url: %s/teams
                    format: teams
                    rate_per_second: 500
                    max_concurrency: 8
                    max_queued: 100000
                """
                        .formatted(base, secret, base, base));
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
                    "--webhooks",
                    webhooks.toString(),
                    "--webhooks-dlq-topic",
                    webhookDlq,
                    "--rules",
                    rules.toString(),
                    "--group-id",
                    "it-" + run,
                    "--starting-offsets",
                    "earliest",
                    "--index-topic-prefix",
                    "fuzz-index-" + UUID.randomUUID(),
                    "--es-hosts",
                    es.url(),
                    "--idleness",
                    "2 s",
                    "--checkpoint-interval",
                    "3 s",
                    "--parallelism",
                    "2"
                },
                Map.of());
    }

    private JobClient start(JobOptions options) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // one task failure fails the job: the test sees every failure, none is hidden by a restart
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // checkpoints on the file system, as the local stack and a cluster keep them
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MentionAnalyticsJob.defineJob(env, options);
        indexing.start(conf, options, "fuzz-" + run);
        return env.executeAsync("fuzz-" + run);
    }

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    Map<String, String> headers = new HashMap<>();
                    exchange.getRequestHeaders()
                            .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
                    received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
    }

    private List<ConsumerRecord<byte[], byte[]>> awaitAlerts(String alerts) {
        int expected = ADVERSE_EVENTS + COMPLAINTS;
        List<ConsumerRecord<byte[], byte[]>> states = new ArrayList<>();
        int[] previous = {-1};
        awaitUntil(
                Duration.ofMinutes(4),
                () -> {
                    states.clear();
                    states.addAll(kafka.read(alerts, Integer.MAX_VALUE, Duration.ofSeconds(3)));
                    boolean stable = states.size() == previous[0];
                    previous[0] = states.size();
                    // all opened, no new state since the last look, and each reached all endpoints
                    return stable
                            && states.size() >= expected
                            && received.size() >= 3 * states.size();
                });
        return states;
    }

    private static void assertRunning(JobClient job) {
        try {
            assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS))
                    .as("job status")
                    .isEqualTo(JobStatus.RUNNING);
        } catch (Exception e) {
            throw new AssertionError("no job status", e);
        }
    }

    private boolean allTasksRunning(JobClient job) {
        try {
            JsonNode vertices = rest(job, "").path("vertices");
            for (JsonNode v : vertices) {
                if (!v.path("status").asText().equals("RUNNING")) {
                    return false;
                }
            }
            return vertices.size() > 0;
        } catch (Exception e) {
            return false;
        }
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

    // ---------------------------------------------------------------- Kafka and Elasticsearch

    /** Everything on the topic, once {@code atLeast} records are there (or the timeout passed). */
    /**
     * The whole topic once it holds a record for each of {@code keys}, or at the deadline (the
     * accounting then names what is missing). The dead-letter and late topics are written in
     * transactions, so the last records become visible only when the job's next checkpoint commits,
     * while other writers' records (the indexing job's dead letters) are there at once: waiting for
     * a count could stop before the last transaction is visible.
     */
    private List<ConsumerRecord<byte[], byte[]>> readUntilAll(
            String topic, Set<String> keys, Duration timeout) {
        List<List<ConsumerRecord<byte[], byte[]>>> last = new ArrayList<>(List.of(List.of()));
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(
                            () -> {
                                List<ConsumerRecord<byte[], byte[]>> read =
                                        kafka.readToEnd(topic, 0, Duration.ofMinutes(1));
                                last.set(0, read);
                                Set<String> seen = new HashSet<>();
                                for (ConsumerRecord<byte[], byte[]> r : read) {
                                    if (r.key() != null) {
                                        seen.add(new String(r.key(), StandardCharsets.UTF_8));
                                    }
                                }
                                return seen.containsAll(keys);
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // fall through: the accounting below reports each record that is missing
        }
        return last.get(0);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(
            String topic, int atLeast, Duration timeout) {
        return kafka.readToEnd(topic, atLeast, timeout);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void awaitUntil(Duration atMost, BooleanSupplier condition) {
        Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(2))
                .until(condition::getAsBoolean);
    }

    private String brandsQuery() {
        return "{\"terms\":{\"brands\":[\"" + pharma + "\",\"" + care + "\"]}}";
    }

    private long countMentions() {
        return es.count("echolot-mentions-*", brandsQuery());
    }

    private Set<String> indexedIds() {
        Set<String> ids = new HashSet<>();
        for (JsonNode hit : scroll("echolot-mentions-*", brandsQuery(), "[\"id\"]")) {
            ids.add(hit.path("_source").path("id").asText());
        }
        return ids;
    }

    private List<JsonNode> scroll(String index, String query, String fields) {
        List<JsonNode> hits = new ArrayList<>();
        JsonNode page =
                request(
                        "POST",
                        "/" + index + "/_search?scroll=1m",
                        "{\"size\":5000,\"_source\":"
                                + fields
                                + ",\"query\":"
                                + query
                                + ",\"sort\":[\"_doc\"]}");
        while (page.path("hits").path("hits").size() > 0) {
            page.path("hits").path("hits").forEach(hits::add);
            ObjectNode next = Json.mapper().createObjectNode();
            next.put("scroll", "1m");
            next.put("scroll_id", page.path("_scroll_id").asText());
            page = request("POST", "/_search/scroll", next.toString());
        }
        return hits;
    }

    /** Mentions of this run found by id, whatever their brands. */
    private Set<String> idsIndexedAmong(Set<String> ids) {
        Set<String> found = new HashSet<>();
        List<String> batch = new ArrayList<>();
        for (String id : ids) {
            batch.add(id);
            if (batch.size() == 1000) {
                found.addAll(idsIn(batch));
                batch.clear();
            }
        }
        found.addAll(idsIn(batch));
        return found;
    }

    private Set<String> idsIn(List<String> batch) {
        Set<String> found = new HashSet<>();
        if (batch.isEmpty()) {
            return found;
        }
        ObjectNode query = Json.mapper().createObjectNode();
        query.putObject("terms").putPOJO("id", batch);
        for (JsonNode hit : scroll("echolot-mentions-*", query.toString(), "[\"id\"]")) {
            found.add(hit.path("_source").path("id").asText());
        }
        return found;
    }

    /** The day of the oldest mentions index that holds a mention of this run. */
    private LocalDate oldestMentionIndex() {
        JsonNode indices =
                request(
                                "POST",
                                "/echolot-mentions-*/_search",
                                "{\"size\":0,\"query\":"
                                        + brandsQuery()
                                        + ",\"aggs\":{\"i\":{\"terms\":{\"field\":\"_index\",\"size\":1000}}}}")
                        .path("aggregations")
                        .path("i")
                        .path("buckets");
        LocalDate oldest = LocalDate.MAX;
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy.MM.dd");
        for (JsonNode i : indices) {
            String name = i.path("key").asText().substring("echolot-mentions-".length());
            LocalDate d = LocalDate.parse(name, day);
            oldest = d.isBefore(oldest) ? d : oldest;
        }
        return oldest;
    }

    private void refresh() {
        es.refresh("echolot-*");
    }

    private JsonNode request(String method, String path, String body) {
        return es.request(method, path, body);
    }
}
