package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.index.DocumentRequest;
import io.echolot.testing.SecuredElasticsearchTestServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sink against the real Elasticsearch with security on ({@code elasticsearch.sh start
 * --security}): HTTPS with the generated CA, the least-privilege user's password and an API key
 * made through the REST API; wrong credentials, an untrusted certificate and missing privileges
 * fail the job at once with a message saying what to check; and no secret reaches the job graph or
 * a log.
 *
 * <p>The last test reads everything logged while this class ran, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredElasticsearchITCase {

    private static final String TEMPLATE = "echolot-securedtest";
    private static final String TEMPLATE_RESOURCE = "echolot-test/templates/securedtest.json";

    /** A configuration error must end the job well before a retry loop would give itself away. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(30);

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @TempDir static Path secrets;

    private static CapturedLogs logs;
    private static SecuredElasticsearchTestServer es;

    /** Every secret this class used: none may show up in a log. */
    private static final Set<String> SECRETS = new LinkedHashSet<>();

    @BeforeAll
    static void startServer() {
        logs = new CapturedLogs();
        es = SecuredElasticsearchTestServer.start();
        SECRETS.add(es.superuserPassword());
        SECRETS.add(SecuredElasticsearchTestServer.readSecret(es.userPasswordFile()));
    }

    @AfterAll
    static void stopServer() {
        try {
            if (es != null) {
                es.close();
            }
        } finally {
            if (logs != null) {
                logs.close();
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(180)
    void writesOverHttpsAsTheLeastPrivilegedUserIndexingUpsertingAndDeleting() throws Exception {
        String index = randomIndex();
        ElasticsearchConfig config = writerConfig().build();

        JobExecutionResult indexed =
                run(documents("doc", 500), sink(config, index, DocumentRequest.Op.INDEX, true));
        run(
                documents("doc", 500).stream()
                        .map(d -> d.withName(d.id() + "-renamed"))
                        .collect(Collectors.toList()),
                sink(config, index, DocumentRequest.Op.UPSERT, false));
        run(documents("doc", 100), sink(config, index, DocumentRequest.Op.DELETE, false));

        assertThat(es.count(index)).isEqualTo(400);
        assertThat(counter(indexed.getJobID(), "documentsSent")).isEqualTo(500);
        assertThat(counter(indexed.getJobID(), "documentsRetried")).isZero();
        assertThat(counter(indexed.getJobID(), "documentsDeadLettered")).isZero();
        JsonNode upserted = es.request("GET", "/" + index + "/_doc/doc-499", "").body();
        assertThat(upserted.path("_source").path("name").asText()).isEqualTo("doc-499-renamed");
        // the template came from the sink, installed by the user with the role
        assertThat(es.request("GET", "/_index_template/" + TEMPLATE, "").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    @Timeout(180)
    void writesWithAnApiKeyCreatedThroughTheRestApi() throws Exception {
        Path keyFile = apiKeyFile("echolot-it", es.roleJson());
        String index = randomIndex();
        ElasticsearchConfig config = apiKeyConfig(keyFile);

        JobExecutionResult result =
                run(documents("key", 300), sink(config, index, DocumentRequest.Op.INDEX, true));

        assertThat(es.count(index)).isEqualTo(300);
        assertThat(counter(result.getJobID(), "documentsSent")).isEqualTo(300);
        assertThat(counter(result.getJobID(), "documentsDeadLettered")).isZero();
    }

    @ParameterizedTest(name = "index templates: {0}")
    @ValueSource(booleans = {true, false})
    @Order(3)
    @Timeout(120)
    void aWrongPasswordFailsTheJobAtOnceSayingWhatToCheck(boolean templates) throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        SECRETS.add(wrong);
        Path file = Files.writeString(secrets.resolve("wrong-" + templates), wrong);
        ElasticsearchConfig config =
                ElasticsearchConfig.builder()
                        .hosts(es.url())
                        .basicAuth(es.user(), SecretSource.file(file.toString()))
                        .caCertificate(es.caCertificate().toString())
                        .build();

        assertFailsFast(config, templates, RetryPolicy.CREDENTIALS_REJECTED);
    }

    static Stream<Arguments> untrustedSetups() {
        return Stream.of(
                Arguments.of("another CA", true),
                Arguments.of("another CA", false),
                Arguments.of("the JVM's trust store", true),
                Arguments.of("the JVM's trust store", false));
    }

    @ParameterizedTest(name = "trusting {0}, index templates: {1}")
    @MethodSource("untrustedSetups")
    @Order(4)
    @Timeout(120)
    void anUntrustedCertificateFailsTheJobAtOnceSayingWhatToCheck(String trust, boolean templates)
            throws Exception {
        ElasticsearchConfig.Builder config =
                trust.equals("another CA")
                        ? writerConfig().caCertificate(otherCa().toString())
                        : ElasticsearchConfig.builder()
                                .hosts(es.url())
                                .basicAuth(
                                        es.user(),
                                        SecretSource.file(es.userPasswordFile().toString()));

        assertFailsFast(config.build(), templates, RetryPolicy.UNTRUSTED_CERTIFICATE);
    }

    @ParameterizedTest(name = "index templates: {0}")
    @ValueSource(booleans = {true, false})
    @Order(5)
    @Timeout(120)
    void aKeyWithoutWritePrivilegesFailsTheJobAtOnceSayingWhatToCheck(boolean templates)
            throws Exception {
        Path keyFile =
                apiKeyFile(
                        "read-only-" + templates,
                        "{\"indices\":[{\"names\":[\"echolot-*\"],\"privileges\":[\"read\"]}]}");
        ElasticsearchConfig config = apiKeyConfig(keyFile);

        assertFailsFast(config, templates, RetryPolicy.ACCESS_DENIED);
    }

    /**
     * Flink Java-serialises the job graph with every sink in it, ships it to the JobManager and
     * keeps it in its blob store and HA metadata: only where a secret is read may be in it.
     */
    @Test
    @Order(6)
    @Timeout(60)
    void theSerialisedJobGraphCarriesWhereTheSecretsAreNeverTheSecrets() throws Exception {
        String password = SecuredElasticsearchTestServer.readSecret(es.userPasswordFile());
        Path keyFile = apiKeyFile("graph", es.roleJson());
        String apiKey = SecuredElasticsearchTestServer.readSecret(keyFile);
        String index = randomIndex();
        StreamExecutionEnvironment env = environment();
        List<SinkTestDocument> documents = documents("graph", 10);
        env.fromData(documents)
                .uid("documents")
                .sinkTo(sink(writerConfig().build(), index, DocumentRequest.Op.INDEX, true))
                .uid("basic");
        env.fromData(documents)
                .uid("documents-2")
                .sinkTo(sink(apiKeyConfig(keyFile), index, DocumentRequest.Op.INDEX, true))
                .uid("api-key");
        JobGraph graph = env.getStreamGraph().getJobGraph();

        byte[] bytes = InstantiationUtil.serializeObject(graph);

        // the search finds what is there: both sinks with where their secrets are read
        assertThat(indexOf(bytes, utf8(es.userPasswordFile().toString()))).isNotNegative();
        assertThat(indexOf(bytes, utf8(keyFile.toString()))).isNotNegative();
        for (byte[] form : secretForms(es.user(), password, apiKey)) {
            assertThat(indexOf(bytes, form))
                    .as("a form of a secret in the job graph (%d bytes)", bytes.length)
                    .isNegative();
        }
    }

    /** Runs last: reads what every test before it logged. */
    @Test
    @Order(7)
    @Timeout(60)
    void noSecretAppearsInTheLogsOfTheTestsOrOfTheServer() throws IOException {
        String jvmLog = logs.text();
        // the capture works and saw the sinks open, with where their secrets come from
        assertThat(jvmLog)
                .contains("Opening Elasticsearch sink writer")
                .contains("password from file " + es.userPasswordFile())
                .contains("apiKey(from file")
                .contains(RetryPolicy.CREDENTIALS_REJECTED);
        String serverLogs = readAll(es.logDir()) + readAll(es.startLog());
        assertThat(serverLogs).contains("security on");

        List<String> found = new ArrayList<>();
        for (String secret : SECRETS) {
            for (byte[] form : secretForms(es.user(), secret, null)) {
                String text = new String(form, StandardCharsets.UTF_8);
                if (jvmLog.contains(text) || serverLogs.contains(text)) {
                    found.add(text.length() > 6 ? text.substring(0, 6) + "…" : text);
                }
            }
        }
        assertThat(found).as("secrets (first characters) found in the logs").isEmpty();
        assertThat(SECRETS).as("secrets looked for").hasSizeGreaterThanOrEqualTo(8);
    }

    private static void assertFailsFast(
            ElasticsearchConfig config, boolean templates, String message) throws Exception {
        String index = randomIndex();
        long t0 = System.nanoTime();
        var job =
                start(
                        documents("fail", 20),
                        sink(config, index, DocumentRequest.Op.INDEX, templates));

        assertThatThrownBy(() -> job.getJobExecutionResult().get())
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining(message);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf(
                "[secured-es-it] %s (templates %s): job failed %d ms after submission%n",
                message.substring(0, Math.min(40, message.length())), templates, took.toMillis());
        assertThat(took).isLessThan(FAIL_FAST);
        assertThat(es.count(index)).as("documents written").isEqualTo(-1);
    }

    /** Creates an API key as the superuser; returns the file holding its encoded form. */
    private static Path apiKeyFile(String name, String roleJson) throws IOException {
        SecuredElasticsearchTestServer.Response response =
                es.request(
                        "POST",
                        "/_security/api_key",
                        "{\"name\":\""
                                + name
                                + "\",\"role_descriptors\":{\"r\":"
                                + roleJson
                                + "}}");
        assertThat(response.status())
                .as("POST /_security/api_key: %s", response.body())
                .isEqualTo(200);
        String encoded = response.body().path("encoded").asText();
        SECRETS.add(encoded);
        SECRETS.add(response.body().path("api_key").asText());
        return Files.writeString(secrets.resolve("api-key-" + name), encoded + "\n");
    }

    /** The secret as it could appear: text in UTF-8 and UTF-16, and in an Authorization header. */
    private static List<byte[]> secretForms(String user, String secret, String apiKey) {
        List<byte[]> forms = new ArrayList<>();
        for (String s : apiKey == null ? List.of(secret) : List.of(secret, apiKey)) {
            forms.add(utf8(s));
            forms.add(s.getBytes(StandardCharsets.UTF_16BE));
            forms.add(s.getBytes(StandardCharsets.UTF_16LE));
        }
        forms.add(utf8(Base64.getEncoder().encodeToString(utf8(user + ":" + secret))));
        if (apiKey != null) {
            String decoded = new String(Base64.getDecoder().decode(apiKey), StandardCharsets.UTF_8);
            forms.add(utf8(decoded.substring(decoded.indexOf(':') + 1)));
        }
        return forms;
    }

    private static ElasticsearchConfig.Builder writerConfig() {
        return ElasticsearchConfig.builder()
                .hosts(es.url())
                .basicAuth(es.user(), SecretSource.file(es.userPasswordFile().toString()))
                .caCertificate(es.caCertificate().toString());
    }

    private static ElasticsearchConfig apiKeyConfig(Path keyFile) {
        return ElasticsearchConfig.builder()
                .hosts(es.url())
                .apiKey(SecretSource.file(keyFile.toString()))
                .caCertificate(es.caCertificate().toString())
                .build();
    }

    private static Path otherCa() throws URISyntaxException {
        return Path.of(
                SecuredElasticsearchITCase.class
                        .getClassLoader()
                        .getResource("tls/test-ca.pem")
                        .toURI());
    }

    private static ElasticsearchSink<SinkTestDocument> sink(
            ElasticsearchConfig config, String index, DocumentRequest.Op op, boolean templates) {
        ElasticsearchSink.Builder<SinkTestDocument> builder =
                ElasticsearchSink.<SinkTestDocument>builder()
                        .setConfig(config)
                        .setConverter(new SinkTestDocumentConverter(index, op))
                        .setMaxBatchSize(50)
                        .setMaxTimeInBufferMS(200)
                        .setInitialBackoff(Duration.ofMillis(20))
                        .setMaxBackoff(Duration.ofMillis(200));
        if (templates) {
            builder.addIndexTemplate(TEMPLATE, TEMPLATE_RESOURCE);
        }
        return builder.build();
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static JobExecutionResult run(
            List<SinkTestDocument> documents, ElasticsearchSink<SinkTestDocument> sink)
            throws Exception {
        return start(documents, sink).getJobExecutionResult().get();
    }

    private static org.apache.flink.core.execution.JobClient start(
            List<SinkTestDocument> documents, ElasticsearchSink<SinkTestDocument> sink)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromData(documents)
                .name("test-documents")
                .uid("test-documents")
                .sinkTo(sink)
                .name("elasticsearch")
                .uid("elasticsearch");
        return env.executeAsync("secured-elasticsearch-it");
    }

    private static List<SinkTestDocument> documents(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> SinkTestDocument.valid(prefix + "-" + i, i))
                .collect(Collectors.toList());
    }

    /** Within the writer role's {@code echolot-*} and the test template's pattern. */
    private static String randomIndex() {
        return "echolot-securedtest-" + UUID.randomUUID().toString().substring(0, 12);
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String readAll(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                // ISO-8859-1 maps every byte, so a secret in any file is found whatever its bytes
                all.append(Files.readString(file, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return all.toString();
    }

    /**
     * Everything this JVM logs while it is open, at the levels a Flink cluster logs by default
     * (INFO, and DEBUG for echolot's own classes); the console keeps showing only warnings.
     */
    private static final class CapturedLogs implements AutoCloseable {
        private final StringWriter text = new StringWriter();
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final Appender appender;
        private final Appender console;
        private final Level rootLevel;
        private final Level echolotLevel;

        CapturedLogs() {
            var config = context.getConfiguration();
            appender =
                    WriterAppender.newBuilder()
                            .setName("secured-elasticsearch-it")
                            .setTarget(text)
                            .setLayout(
                                    PatternLayout.newBuilder()
                                            .withPattern("%d %-5p %c %m%n%throwable")
                                            .build())
                            .build();
            appender.start();
            config.addAppender(appender);
            LoggerConfig root = config.getRootLogger();
            console = config.getAppender("console");
            rootLevel = root.getLevel();
            root.setLevel(Level.INFO);
            if (console != null) {
                root.removeAppender(console.getName());
                root.addAppender(console, Level.WARN, null);
            }
            root.addAppender(appender, Level.ALL, null);
            // the test configuration names io.echolot; were it missing, this would be the root
            LoggerConfig echolot = config.getLoggerConfig("io.echolot");
            echolotLevel = echolot.getName().equals("io.echolot") ? echolot.getLevel() : null;
            if (echolotLevel != null) {
                echolot.setLevel(Level.DEBUG);
            }
            context.updateLoggers();
        }

        String text() {
            return text.toString();
        }

        @Override
        public void close() {
            var config = context.getConfiguration();
            LoggerConfig root = config.getRootLogger();
            root.removeAppender(appender.getName());
            if (console != null) {
                root.removeAppender(console.getName());
                root.addAppender(console, null, null);
            }
            root.setLevel(rootLevel);
            if (echolotLevel != null) {
                config.getLoggerConfig("io.echolot").setLevel(echolotLevel);
            }
            context.updateLoggers();
            appender.stop();
        }
    }
}
