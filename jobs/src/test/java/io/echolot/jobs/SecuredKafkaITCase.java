package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real job wiring against a Kafka broker that takes TLS connections with SASL/SCRAM-SHA-512
 * logins only (SASL_SSL, as managed Kafka services do): with {@code --kafka-properties} (the
 * password behind a {@code ${file:…}} placeholder, the broker's certificate as a PEM trust store)
 * mentions flow in and dead letters and alert events flow out; a wrong password or an untrusted
 * certificate fails the job at once with Kafka's authentication error; the password is neither in
 * the job graph nor in the logs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecuredKafkaITCase {

    private static final String USER = "echolot-job";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();

    private static KafkaTestServer kafka;
    private static MiniCluster flink;
    private static final StringBuilder LOGS = new StringBuilder();
    private static AbstractAppender capture;
    private static Level rootLevelBefore;

    private final ElasticsearchTestServer es = TestServers.elasticsearch();
    private final String brand = "sasl" + UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    @BeforeAll
    static void start() throws Exception {
        captureLogs();
        kafka = TestServers.startScramKafka(USER, PASSWORD);
        Configuration conf = new Configuration();
        // a failure ends the job, so the test sees the first error instead of restarts
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        flink = KafkaITSupport.miniCluster(conf);
    }

    @AfterAll
    static void stop() throws Exception {
        if (flink != null) {
            flink.close();
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.removeAppender(capture.getName());
        root.setLevel(rootLevelBefore);
        ctx.updateLoggers();
    }

    /**
     * Every log event of this JVM at INFO and above, with stack traces (Kafka logs its configs).
     */
    private static void captureLogs() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        capture =
                new AbstractAppender("secret-check", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        StringBuilder line =
                                new StringBuilder(event.getMessage().getFormattedMessage());
                        if (event.getThrown() != null) {
                            StringWriter trace = new StringWriter();
                            event.getThrown().printStackTrace(new PrintWriter(trace));
                            line.append('\n').append(trace);
                        }
                        synchronized (LOGS) {
                            LOGS.append(line).append('\n');
                        }
                    }
                };
        capture.start();
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        rootLevelBefore = root.getLevel();
        // the other appenders keep their level, so the console stays as quiet as configured
        for (Map.Entry<String, Appender> a : Map.copyOf(root.getAppenders()).entrySet()) {
            root.removeAppender(a.getKey());
            root.addAppender(a.getValue(), rootLevelBefore, null);
        }
        root.setLevel(Level.INFO);
        root.addAppender(capture, Level.INFO, null);
        ctx.updateLoggers();
    }

    private JobOptions options(Path properties, String topic, String dlq, String alerts) {
        return JobOptions.parse(
                new String[] {
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--kafka-properties",
                    properties.toString(),
                    "--mentions-topic",
                    topic,
                    "--dead-letter-topic",
                    dlq,
                    "--late-topic",
                    "unused-late-" + UUID.randomUUID(),
                    "--alerts-topic",
                    alerts,
                    "--alert-cooldown",
                    "5 min",
                    "--group-id",
                    "it-sasl-" + UUID.randomUUID(),
                    "--starting-offsets",
                    "earliest",
                    "--index-topic-prefix",
                    "secured-index-" + UUID.randomUUID(),
                    "--es-hosts",
                    es.url(),
                    "--out-of-orderness",
                    "1 s",
                    "--idleness",
                    "2 s",
                    "--allowed-lateness",
                    "0 s",
                    "--checkpoint-interval",
                    "2 s",
                    "--parallelism",
                    "1"
                },
                Map.of());
    }

    private static Path properties(Path dir, String password) throws Exception {
        return properties(dir, password, kafka.caCertificate());
    }

    /** The client settings, trusting the certificate in {@code caPem} (null: the JVM's default). */
    private static Path properties(Path dir, String password, Path caPem) throws Exception {
        Path secret = dir.resolve("kafka-password-" + UUID.randomUUID());
        Files.writeString(secret, password + "\n");
        Path file = dir.resolve("kafka-" + UUID.randomUUID() + ".properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + (caPem == null
                                ? ""
                                : "ssl.truststore.type=PEM\nssl.truststore.location="
                                        + caPem
                                        + "\n")
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\""
                        + USER
                        + "\" password=\"${file:"
                        + secret
                        + "}\";\n");
        return file;
    }

    @Test
    void mentionsFlowInAndDeadLettersAndAlertsFlowOutOverTlsWithSaslScram(@TempDir Path dir)
            throws Exception {
        String topic = kafka.createTopic("mentions", 1);
        String dlq = kafka.createTopic("dlq", 1);
        String alerts = kafka.createTopic("alerts", 1);
        List<byte[]> records = new ArrayList<>(KafkaITSupport.negativeBurst(brand, t0, brand));
        records.add(5, KafkaITSupport.notJson(brand, 1));
        records.add(50, KafkaITSupport.notJson(brand, 2));
        kafka.sendValues(topic, records);

        Path properties = properties(dir, PASSWORD);
        JobOptions options = options(properties, topic, dlq, alerts);
        // the cluster ends a job at its first failure (for the failure tests); this job restarts
        // as it would in production, and exactly-once sinks keep a restart from showing
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        JobGraph graph = KafkaITSupport.jobGraph(options, restarts);
        JobGraph indexingGraph = KafkaITSupport.indexingJobGraph(options);
        for (JobGraph g : List.of(graph, indexingGraph)) {
            byte[] serialized = InstantiationUtil.serializeObject(g);
            // the search works: the placeholder is there, the password it stands for is not
            assertThat(contains(serialized, "${file:" + dir)).isTrue();
            assertThat(contains(serialized, PASSWORD)).as("password in the job graph").isFalse();
        }

        JobID job = flink.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
        JobID indexing = flink.submitJob(indexingGraph).get(60, TimeUnit.SECONDS).getJobID();
        try {
            List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(dlq, 2, Duration.ofSeconds(120));
            assertThat(dead)
                    .as(() -> "dead letters; " + failureOf(job))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            new String(KafkaITSupport.notJson(brand, 1), StandardCharsets.UTF_8),
                            new String(KafkaITSupport.notJson(brand, 2), StandardCharsets.UTF_8));
            List<ConsumerRecord<byte[], byte[]>> states =
                    kafka.read(alerts, 2, Duration.ofSeconds(120));
            assertThat(states)
                    .as(
                            () ->
                                    "alert states "
                                            + describe(states)
                                            + "; "
                                            + failureOf(job)
                                            + "; watermarks per task: "
                                            + watermarks(job)
                                            + "; the job's last checkpoints and task changes:\n"
                                            + lastLines(
                                                    "(?i).*(declin|switched from|exception|expired"
                                                            + "|idle|split|kafka-mentions).*",
                                                    60))
                    .hasSize(2);
            JsonNode opened = Json.mapper().readTree(states.get(0).value());
            JsonNode resolved = Json.mapper().readTree(states.get(1).value());
            assertThat(opened.get("type").asText()).isEqualTo("negative_burst");
            assertThat(opened.get("brand").asText()).isEqualTo(brand);
            assertThat(resolved.get("state").asText()).isEqualTo("resolved");
            // resolved by the input's own event time: its last mention, at t0 + 22 min, lies past
            // the cooldown of the burst's last window
            assertThat(Instant.parse(resolved.get("resolved_at").asText()))
                    .isBefore(t0.plus(Duration.ofMinutes(22)));
            assertThat(flink.getJobStatus(job).get().isGloballyTerminalState()).isFalse();
            // the indexing job read the alert's states from its index topic over SASL too
            String id = opened.get("id").asText();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    es.count(
                                                    "echolot-alerts-*",
                                                    "{\"bool\":{\"filter\":[{\"term\":{\"id\":\""
                                                            + id
                                                            + "\"}},{\"term\":{\"state\":\"resolved\"}}]}}")
                                            == 1);
            assertThat(flink.getJobStatus(indexing).get().isGloballyTerminalState()).isFalse();
        } finally {
            flink.cancelJob(job).get(30, TimeUnit.SECONDS);
            flink.cancelJob(indexing).get(30, TimeUnit.SECONDS);
        }
        assertThat(logs()).as("the logs were captured").contains("sasl.jaas.config = [hidden]");
        assertThat(logs()).as("password in the logs").doesNotContain(PASSWORD);
    }

    /** Type, state, scope and window of each alert state read. */
    private static List<String> describe(List<ConsumerRecord<byte[], byte[]>> states) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : states) {
            try {
                JsonNode a = Json.mapper().readTree(r.value());
                out.add(
                        a.path("type").asText()
                                + " "
                                + a.path("state").asText()
                                + " "
                                + a.path("brand").asText()
                                + "/"
                                + a.path("topic").asText()
                                + " window "
                                + a.path("window_start").asText()
                                + ".."
                                + a.path("window_end").asText());
            } catch (Exception e) {
                out.add("unreadable: " + e);
            }
        }
        return out;
    }

    /** The job's status and its latest failure, if any: what a failed wait needs to say. */
    private static String failureOf(JobID job) {
        try {
            var graph = flink.getArchivedExecutionGraph(job).get(30, TimeUnit.SECONDS);
            var failure = graph.getFailureInfo();
            return "job "
                    + graph.getState()
                    + (failure == null
                            ? ", no failure"
                            : ", latest failure: " + failure.getExceptionAsString());
        } catch (Exception e) {
            return "job status unknown: " + e;
        }
    }

    @Test
    void aWrongPasswordFailsTheJobAtOnceWithKafkasAuthenticationError(@TempDir Path dir)
            throws Exception {
        String topic = kafka.createTopic("mentions", 1);
        kafka.sendValues(topic, KafkaITSupport.negativeBurst(brand, t0, brand).subList(0, 5));
        String wrong = "wrong-" + UUID.randomUUID();
        JobGraph graph =
                KafkaITSupport.jobGraph(
                        options(
                                properties(dir, wrong),
                                topic,
                                kafka.createTopic("dlq", 1),
                                kafka.createTopic("alerts", 1)));
        long t = System.nanoTime();
        JobID job = flink.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
        JobResult result = flink.requestJobResult(job).get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t) / 1e9;
        System.out.printf(
                "[secured-kafka] a wrong SASL password failed the job in %.1f s%n", seconds);

        assertThat(result.isSuccess()).isFalse();
        Throwable failure =
                result.getSerializedThrowable()
                        .orElseThrow()
                        .deserializeError(getClass().getClassLoader());
        assertThat(ExceptionUtils.findThrowable(failure, SaslAuthenticationException.class))
                .as("cause of " + ExceptionUtils.stringifyException(failure))
                .isPresent();
        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("invalid credentials with SASL mechanism SCRAM-SHA-512")
                .doesNotContain(wrong);
        assertThat(seconds).isLessThan(60);
        assertThat(logs()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void aBrokerCertificateTheClientDoesNotTrustFailsTheJobAtOnce(@TempDir Path dir)
            throws Exception {
        String topic = kafka.createTopic("mentions", 1);
        kafka.sendValues(topic, KafkaITSupport.negativeBurst(brand, t0, brand).subList(0, 5));
        // the right password, but the JVM's default trust store, which lacks the broker's CA
        JobGraph graph =
                KafkaITSupport.jobGraph(
                        options(
                                properties(dir, PASSWORD, null),
                                topic,
                                kafka.createTopic("dlq", 1),
                                kafka.createTopic("alerts", 1)));
        long t = System.nanoTime();
        JobID job = flink.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
        JobResult result = flink.requestJobResult(job).get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t) / 1e9;
        System.out.printf(
                "[secured-kafka] an untrusted broker certificate failed the job in %.1f s%n",
                seconds);

        assertThat(result.isSuccess()).isFalse();
        Throwable failure =
                result.getSerializedThrowable()
                        .orElseThrow()
                        .deserializeError(getClass().getClassLoader());
        assertThat(ExceptionUtils.findThrowable(failure, SslAuthenticationException.class))
                .as("cause of " + ExceptionUtils.stringifyException(failure))
                .isPresent();
        assertThat(ExceptionUtils.stringifyException(failure)).contains("SSL handshake failed");
        assertThat(seconds).isLessThan(60);
        assertThat(logs()).doesNotContain(PASSWORD);
    }

    /** Each task's current input watermark, from the cluster's REST API. */
    private static String watermarks(JobID job) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String base = flink.getRestAddress().get(10, TimeUnit.SECONDS).toString();
            JsonNode details = get(http, base + "/jobs/" + job);
            StringBuilder out = new StringBuilder();
            for (JsonNode v : details.path("vertices")) {
                JsonNode marks =
                        get(
                                http,
                                base
                                        + "/jobs/"
                                        + job
                                        + "/vertices/"
                                        + v.path("id").asText()
                                        + "/watermarks");
                out.append("\n  ").append(v.path("name").asText()).append(": ").append(marks);
            }
            return out.toString();
        } catch (Exception e) {
            return "unknown: " + e;
        }
    }

    private static JsonNode get(java.net.http.HttpClient http, String url) throws Exception {
        var response =
                http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    /** The last {@code n} captured log lines matching {@code regex}. */
    private static String lastLines(String regex, int n) {
        List<String> hits = new ArrayList<>();
        for (String line : logs().split("\n")) {
            if (line.matches(regex)) {
                hits.add(line.length() > 300 ? line.substring(0, 300) : line);
            }
        }
        return String.join("\n", hits.subList(Math.max(0, hits.size() - n), hits.size()));
    }

    private static String logs() {
        synchronized (LOGS) {
            return LOGS.toString();
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
