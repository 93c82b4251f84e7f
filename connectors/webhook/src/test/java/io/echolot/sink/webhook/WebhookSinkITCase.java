package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.json.Json;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.TestServers;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.legacy.RichSourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink in real Flink jobs against a real HTTP receiver on loopback, with dead letters
 * on the real Kafka broker.
 */
class WebhookSinkITCase {

    private static final String SECRET = "it-secret-0123456789abcdef";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    @Timeout(120)
    void deliversSignedJsonSlackAndTeamsMessagesThatTheReceiverVerifies() throws Exception {
        Alert burst = WebhookTestAlerts.germanBurst("burst-1", 1, AlertState.OPEN);
        Alert spike = WebhookTestAlerts.englishSpike("spike-1", 1);
        try (TestReceiver receiver = TestReceiver.answering(204)) {
            WebhookEndpoint json = signed("json", receiver.url("/json"), WebhookFormat.JSON);
            WebhookEndpoint slack =
                    signed("slack", receiver.url("/slack"), WebhookFormat.SLACK)
                            .withFilter(
                                    new AlertFilter(Set.of("strider"), Set.of(), Set.of(), null));
            WebhookEndpoint teams =
                    WebhookEndpoint.of("teams", receiver.url("/teams"), WebhookFormat.TEAMS, null);

            run(List.of(burst, spike), List.of(json, slack, teams), deadLetters());

            List<TestReceiver.Request> jsonRequests = receiver.requests("/json");
            assertThat(jsonRequests).hasSize(2);
            for (TestReceiver.Request r : jsonRequests) {
                assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK);
                assertThat(r.header("Content-Type")).startsWith("application/json");
                var doc = Json.mapper().readTree(r.body());
                assertThat(r.header("Idempotency-Key"))
                        .isEqualTo(Delivery.idempotencyKey(doc.get("id").asText(), 1));
                assertThat(Long.parseLong(r.header("X-Echolot-Emitted-At")))
                        .isLessThanOrEqualTo(r.receivedAtMillis());
            }
            assertThat(keys(jsonRequests))
                    .containsExactlyInAnyOrder(key("burst-1", 1), key("spike-1", 1));

            // only the strider alert passes the Slack filter, in German like its posts
            List<TestReceiver.Request> slackRequests = receiver.requests("/slack");
            assertThat(slackRequests).hasSize(1);
            assertThat(verify(slackRequests.get(0))).isEqualTo(WebhookSignature.Verdict.OK);
            assertThat(Json.mapper().readTree(slackRequests.get(0).body()).get("text").asText())
                    .isEqualTo("Häufung negativer Erwähnungen: strider (neu)");

            // Teams without a secret: unsigned, still with the idempotency key
            List<TestReceiver.Request> teamsRequests = receiver.requests("/teams");
            assertThat(teamsRequests).hasSize(2);
            assertThat(teamsRequests.get(0).header(WebhookSignature.HEADER_SIGNATURE)).isNull();
            assertThat(keys(teamsRequests))
                    .containsExactlyInAnyOrder(key("burst-1", 1), key("spike-1", 1));
        }
    }

    @Test
    @Timeout(120)
    void deliversAHostileAlertWithAsciiHeadersAndDeadLettersOneThatCannotBeRendered()
            throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("webhook-dlq", 1);
        Alert h = WebhookPayloadsTest.hostile();
        String id = "adverse-😡線€-mention-7\r\nX-Injected: 1";
        Alert hostile = h.toBuilder().id(id).version(1).build();
        // no platform counts: the alert document cannot be made, the chat messages can
        Alert b = WebhookTestAlerts.germanBurst("unrenderable", 1, AlertState.OPEN);
        Alert unrenderable = b.toBuilder().platforms(null).build();
        try (TestReceiver receiver = TestReceiver.answering(204)) {
            List<WebhookEndpoint> endpoints =
                    List.of(
                            signed("json", receiver.url("/json"), WebhookFormat.JSON),
                            signed("slack", receiver.url("/slack"), WebhookFormat.SLACK),
                            signed("teams", receiver.url("/teams"), WebhookFormat.TEAMS));

            run(
                    List.of(unrenderable, hostile),
                    endpoints,
                    new WebhookDeadLetters(kafka.bootstrapServers(), topic));

            TestReceiver.Request json = receiver.requests("/json").get(0);
            assertThat(receiver.requests("/json")).hasSize(1);
            assertThat(json.header("Idempotency-Key"))
                    .isEqualTo(key(id, 1))
                    .matches("[0-9a-f]{64}");
            assertThat(json.header("X-Echolot-Alert-Id"))
                    .isEqualTo(
                            "adverse-%F0%9F%98%A1%E7%B7%9A%E2%82%AC-mention-7%0D%0AX-Injected:%201");
            assertThat(json.header("X-Injected")).isNull();
            assertThat(Json.mapper().readTree(json.body()).get("id").asText()).isEqualTo(id);
            assertThat(verify(json)).isEqualTo(WebhookSignature.Verdict.OK);
            for (String chat : List.of("/slack", "/teams")) {
                List<TestReceiver.Request> requests = receiver.requests(chat);
                assertThat(keys(requests))
                        .as(chat)
                        .containsExactlyInAnyOrder(key("unrenderable", 1), key(id, 1));
                for (TestReceiver.Request r : requests) {
                    assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK);
                    assertThat(r.header("X-Echolot-Alert-Id")).matches("[\\x21-\\x7e]+");
                    Json.mapper().readTree(r.body());
                }
            }

            ConsumerRecord<byte[], byte[]> letter = read(kafka, topic, 1).get(0);
            Map<String, String> headers = headers(letter);
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("unrenderable");
            assertThat(headers)
                    .containsEntry(DeadLetterRecords.HEADER_ENDPOINT, "json")
                    .containsEntry(
                            DeadLetterRecords.HEADER_IDEMPOTENCY_KEY, key("unrenderable", 1));
            assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                    .startsWith("endpoint json: could not render the alert: NullPointerException");
            assertThat(Json.mapper().readTree(letter.value()).get("id").asText())
                    .isEqualTo("unrenderable");
        }
    }

    @Test
    @Timeout(120)
    void retriesA503ThenDeliversWithTheSameIdempotencyKey() throws Exception {
        try (TestReceiver receiver =
                new TestReceiver(0, (n, r) -> TestReceiver.Answer.of(n < 2 ? 503 : 204))) {
            WebhookEndpoint e =
                    fastRetries(signed("json", receiver.url("/hook"), WebhookFormat.JSON));

            run(
                    List.of(WebhookTestAlerts.germanBurst("a-503", 1, AlertState.OPEN)),
                    List.of(e),
                    deadLetters());

            List<TestReceiver.Request> requests = receiver.requests("/hook");
            assertThat(requests).hasSize(3);
            assertThat(keys(requests)).containsOnly(key("a-503", 1));
            assertThat(requests)
                    .extracting(r -> r.header("X-Echolot-Attempt"))
                    .containsExactly("1", "2", "3");
            // each attempt is signed afresh, and every signature holds
            assertThat(requests)
                    .allSatisfy(r -> assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK));
        }
    }

    @Test
    @Timeout(120)
    void waitsAsLongAsRetryAfterSaysOnA429() throws Exception {
        try (TestReceiver receiver =
                new TestReceiver(
                        0,
                        (n, r) ->
                                n == 0
                                        ? new TestReceiver.Answer(
                                                429, Map.of("Retry-After", "2"), "slow down", 0)
                                        : TestReceiver.Answer.of(204))) {
            // 50 ms backoff: only Retry-After can explain a wait of 2 s
            WebhookEndpoint e =
                    fastRetries(signed("json", receiver.url("/hook"), WebhookFormat.JSON));

            run(List.of(WebhookTestAlerts.englishSpike("a-429", 1)), List.of(e), deadLetters());

            List<TestReceiver.Request> requests = receiver.requests("/hook");
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis())
                    .isGreaterThanOrEqualTo(2_000);
        }
    }

    @Test
    @Timeout(120)
    void sendsA400ToTheDeadLetterTopicAtOnceWithTheReason() throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("webhook-dlq", 1);
        Alert alert = WebhookTestAlerts.germanBurst("a-400", 2, AlertState.UPDATED);
        try (TestReceiver receiver =
                new TestReceiver(
                        0,
                        (n, r) ->
                                new TestReceiver.Answer(
                                        400, Map.of(), "{\"error\":\"unknown field brand\"}", 0))) {
            WebhookEndpoint e =
                    fastRetries(signed("strict", receiver.url("/hook"), WebhookFormat.JSON));

            run(
                    List.of(alert),
                    List.of(e),
                    new WebhookDeadLetters(kafka.bootstrapServers(), topic));

            assertThat(receiver.requests("/hook")).hasSize(1);
            List<ConsumerRecord<byte[], byte[]>> letters = read(kafka, topic, 1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            Map<String, String> headers = headers(letter);
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("a-400");
            assertThat(Json.mapper().readTree(letter.value()).get("version").asInt()).isEqualTo(2);
            assertThat(headers)
                    .containsEntry(DeadLetterRecords.HEADER_STAGE, "webhook")
                    .containsEntry(DeadLetterRecords.HEADER_ENDPOINT, "strict")
                    .containsEntry(DeadLetterRecords.HEADER_ATTEMPTS, "1")
                    .containsEntry(DeadLetterRecords.HEADER_IDEMPOTENCY_KEY, key("a-400", 2));
            assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                    .contains("status 400")
                    .contains("unknown field brand")
                    .doesNotContain("127.0.0.1"); // the URL may carry a token: never in a reason
        }
    }

    @Test
    @Timeout(120)
    void deadLettersAfterTheRetryBudgetAndKeepsOtherEndpointsFlowing() throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("webhook-dlq", 1);
        try (TestReceiver receiver =
                new TestReceiver(
                        0,
                        (n, r) -> TestReceiver.Answer.of(r.path().equals("/dead") ? 503 : 204))) {
            WebhookEndpoint dead =
                    signed("dead", receiver.url("/dead"), WebhookFormat.JSON)
                            .withRetries(
                                    4,
                                    Duration.ofMillis(500),
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(5));
            WebhookEndpoint healthy =
                    fastRetries(signed("healthy", receiver.url("/ok"), WebhookFormat.JSON));

            run(
                    List.of(WebhookTestAlerts.germanBurst("a-dead", 1, AlertState.OPEN)),
                    List.of(dead, healthy),
                    new WebhookDeadLetters(kafka.bootstrapServers(), topic));

            List<TestReceiver.Request> deadRequests = receiver.requests("/dead");
            assertThat(deadRequests).hasSize(4);
            // the healthy endpoint got the alert while the dead one was still being retried
            assertThat(receiver.requests("/ok")).hasSize(1);
            assertThat(receiver.requests("/ok").get(0).receivedAtMillis())
                    .isLessThan(deadRequests.get(1).receivedAtMillis());
            Map<String, String> headers = headers(read(kafka, topic, 1).get(0));
            assertThat(headers).containsEntry(DeadLetterRecords.HEADER_ENDPOINT, "dead");
            assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                    .contains("gave up after 4 attempts", "status 503");
        }
    }

    @Test
    @Timeout(120)
    void deliversOnceTheReceiverComesBackAfterBeingDown() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        WebhookEndpoint e =
                signed("json", "http://127.0.0.1:" + port + "/hook", WebhookFormat.JSON)
                        .withRetries(
                                30,
                                Duration.ofMillis(200),
                                Duration.ofMillis(500),
                                Duration.ofSeconds(2));
        JobClient job =
                start(
                        List.of(WebhookTestAlerts.englishSpike("a-down", 1)),
                        List.of(e),
                        deadLetters());
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
        Thread.sleep(2_000); // the receiver is down: connections are refused, the sink backs off
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        try (TestReceiver receiver =
                new TestReceiver(port, (n, r) -> TestReceiver.Answer.of(204))) {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            List<TestReceiver.Request> requests = receiver.requests("/hook");
            assertThat(requests).hasSize(1);
            assertThat(Integer.parseInt(requests.get(0).header("X-Echolot-Attempt")))
                    .isGreaterThan(1);
            assertThat(verify(requests.get(0))).isEqualTo(WebhookSignature.Verdict.OK);
        }
    }

    @Test
    @Timeout(120)
    void aTimedOutSendIsRepeatedWithTheSameKeyAndARepeatedAlertStateIsSentOnce() throws Exception {
        try (TestReceiver receiver =
                new TestReceiver(
                        0,
                        (n, r) -> new TestReceiver.Answer(204, Map.of(), "", n == 0 ? 3_000 : 0))) {
            WebhookEndpoint e =
                    signed("json", receiver.url("/hook"), WebhookFormat.JSON)
                            .withRetries(
                                    5,
                                    Duration.ofMillis(50),
                                    Duration.ofMillis(100),
                                    Duration.ofSeconds(1));
            Alert alert = WebhookTestAlerts.germanBurst("a-dup", 1, AlertState.OPEN);

            run(List.of(alert, alert), List.of(e), deadLetters());

            // the first answer came too late: the receiver saw the same state twice, same key
            List<TestReceiver.Request> requests = receiver.requests("/hook");
            assertThat(requests).hasSize(2);
            assertThat(keys(requests)).containsExactly(key("a-dup", 1), key("a-dup", 1));
            assertThat(requests.get(0).body()).isEqualTo(requests.get(1).body());
        }
    }

    @Test
    @Timeout(180)
    void resendsAnUnacknowledgedDeliveryAfterARestart() throws Exception {
        String id = UUID.randomUUID().toString();
        Control control = new Control();
        CONTROLS.put(id, control);
        CountDownLatch release = new CountDownLatch(1);
        try (TestReceiver receiver =
                new TestReceiver(
                        0,
                        (n, r) -> {
                            if (n == 0) {
                                // the first send reaches the receiver, but the job fails before
                                // the answer: hold it until the test ends
                                control.firstRequestSeen.set(true);
                                try {
                                    release.await(120, TimeUnit.SECONDS);
                                } catch (InterruptedException x) {
                                    Thread.currentThread().interrupt();
                                }
                                return TestReceiver.Answer.of(503);
                            }
                            control.finish.set(true);
                            return TestReceiver.Answer.of(204);
                        })) {
            WebhookEndpoint e =
                    signed("json", receiver.url("/hook"), WebhookFormat.JSON)
                            .withRetries(
                                    10,
                                    Duration.ofMillis(100),
                                    Duration.ofMillis(500),
                                    Duration.ofSeconds(60));
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.enableCheckpointing(200);
            env.addSource(
                            new OneAlertThenFailOnce(id),
                            "one-alert",
                            TypeInformation.of(Alert.class))
                    .sinkTo(new WebhookSink(new WebhookConfig(List.of(e)), deadLetters()))
                    .uid("webhook-sink")
                    .name("webhooks");
            try {
                env.execute("webhook-restart-it");
            } finally {
                release.countDown();
            }

            assertThat(control.failed.get())
                    .as("the job failed once between send and ack")
                    .isTrue();
            List<TestReceiver.Request> requests = receiver.requests("/hook");
            assertThat(requests).hasSize(2);
            assertThat(keys(requests)).containsExactly(key("a-restart", 1), key("a-restart", 1));
            assertThat(requests.get(1).header("X-Echolot-Attempt")).isEqualTo("2");
            assertThat(requests.get(1).header("X-Echolot-Emitted-At"))
                    .isEqualTo(requests.get(0).header("X-Echolot-Emitted-At"));
            assertThat(verify(requests.get(1))).isEqualTo(WebhookSignature.Verdict.OK);
        } finally {
            CONTROLS.remove(id);
        }
    }

    @Test
    @Timeout(120)
    void deliversEveryAlertsLatestStateInOrderAfterTheReceiverWasDownAndDeadLettersNothing()
            throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("webhook-dlq", 1);
        java.util.Random random = new java.util.Random(7);
        try (TestReceiver receiver =
                        new TestReceiver(
                                0,
                                (n, r) -> {
                                    synchronized (random) {
                                        return new TestReceiver.Answer(
                                                204, Map.of(), "", random.nextInt(30));
                                    }
                                });
                FaultInjector injector =
                        new FaultInjector(receiver.port(), FaultInjector.Mode.REFUSE)) {
            WebhookEndpoint e =
                    outageTolerant(signed("json", injector.url("/hook"), WebhookFormat.JSON));
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            // 6 alerts, 6 versions each, one state every 400 ms: 14 s, the first 9 s of them down
            env.addSource(new PacedAlerts(6, 6, 400), "paced", TypeInformation.of(Alert.class))
                    .sinkTo(
                            new WebhookSink(
                                    new WebhookConfig(List.of(e)),
                                    new WebhookDeadLetters(kafka.bootstrapServers(), topic)))
                    .uid("webhook-sink")
                    .name("webhooks");
            JobClient job = env.executeAsync("webhook-outage-it");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
            long start = System.currentTimeMillis();
            Thread.sleep(5_000); // connections refused
            injector.set(FaultInjector.Mode.ANSWER_503);
            Thread.sleep(4_000); // 503 with Retry-After: 1
            assertThat(receiver.requests("/hook")).isEmpty();
            injector.set(FaultInjector.Mode.PASS);
            long up = System.currentTimeMillis();
            job.getJobExecutionResult().get(90, TimeUnit.SECONDS);

            assertThat(injector.answered503()).isPositive();
            List<TestReceiver.Request> requests = receiver.requests("/hook");
            Map<String, List<Integer>> versions = versionsPerAlert(requests);
            assertThat(versions.keySet())
                    .containsExactlyInAnyOrder("p-0", "p-1", "p-2", "p-3", "p-4", "p-5");
            versions.forEach(
                    (id, vs) -> {
                        assertThat(vs).as(id).isSortedAccordingTo(Integer::compare);
                        assertThat(vs.get(vs.size() - 1)).as(id).isEqualTo(6);
                    });
            for (TestReceiver.Request r : requests) {
                assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK);
                var doc = Json.mapper().readTree(r.body());
                assertThat(r.header("Idempotency-Key"))
                        .isEqualTo(key(doc.get("id").asText(), doc.get("version").asInt()));
            }
            assertThat(deadLetterCount(kafka, topic)).isZero();
            long lastLatest =
                    requests.stream()
                            .filter(r -> r.header("X-Echolot-Alert-Version").equals("6"))
                            .mapToLong(TestReceiver.Request::receivedAtMillis)
                            .max()
                            .orElseThrow();
            System.out.printf(
                    "outage: %d requests for 36 states, %d answered 503, down %d ms, last latest"
                            + " state %d ms after the start, first delivery %d ms after up%n",
                    requests.size(),
                    injector.answered503(),
                    up - start,
                    lastLatest - start,
                    requests.get(0).receivedAtMillis() - up);
        }
    }

    @Test
    @Timeout(180)
    void aRestartWhileTheReceiverIsDownKeepsThePendingDeliveries() throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("webhook-dlq", 1);
        String id = UUID.randomUUID().toString();
        Control control = new Control();
        CONTROLS.put(id, control);
        try (TestReceiver receiver = TestReceiver.answering(204);
                FaultInjector injector =
                        new FaultInjector(receiver.port(), FaultInjector.Mode.ANSWER_503)) {
            Set<String> latest = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 4; i++) {
                latest.add(key("r-" + i, 3));
            }
            // the failure is armed once the receiver refused the latest state of every alert
            control.ready = () -> injector.keys503().containsAll(latest);
            WebhookEndpoint e =
                    outageTolerant(signed("json", injector.url("/hook"), WebhookFormat.JSON));
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.enableCheckpointing(200);
            env.addSource(new AlertsThenFailOnce(id), "alerts", TypeInformation.of(Alert.class))
                    .sinkTo(
                            new WebhookSink(
                                    new WebhookConfig(List.of(e)),
                                    new WebhookDeadLetters(kafka.bootstrapServers(), topic)))
                    .uid("webhook-sink")
                    .name("webhooks");
            JobClient job = env.executeAsync("webhook-restart-down-it");
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(control.failed::get);
            long restarted = System.currentTimeMillis();
            Thread.sleep(2_000); // the restored writer retries against the 503s
            assertThat(receiver.requests("/hook")).isEmpty();
            injector.set(FaultInjector.Mode.PASS);
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

            List<TestReceiver.Request> requests = receiver.requests("/hook");
            Map<String, List<Integer>> versions = versionsPerAlert(requests);
            assertThat(versions.keySet()).containsExactlyInAnyOrder("r-0", "r-1", "r-2", "r-3");
            versions.forEach((alert, vs) -> assertThat(vs).as(alert).containsExactly(3));
            for (TestReceiver.Request r : requests) {
                // the source did not emit again: these came from the checkpoint, attempts counted
                // on and the emitted-at time kept
                assertThat(Integer.parseInt(r.header("X-Echolot-Attempt"))).isGreaterThan(1);
                assertThat(r.header("X-Echolot-Emitted-At"))
                        .isEqualTo(injector.emittedAt503().get(r.header("Idempotency-Key")));
                assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK);
            }
            assertThat(deadLetterCount(kafka, topic)).isZero();
            System.out.printf(
                    "restart while down: %d requests answered 503, %d delivered, last %d ms after"
                            + " the restart%n",
                    injector.answered503(),
                    requests.size(),
                    requests.stream()
                                    .mapToLong(TestReceiver.Request::receivedAtMillis)
                                    .max()
                                    .orElseThrow()
                            - restarted);
        } finally {
            CONTROLS.remove(id);
        }
    }

    /** Unbounded attempts, the default 24 h, and backoffs short enough for a test. */
    private static WebhookEndpoint outageTolerant(WebhookEndpoint e) {
        return e.withRetries(
                        WebhookEndpoint.UNBOUNDED_ATTEMPTS,
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2))
                .withLimits(4, 1000, 1000);
    }

    private static Map<String, List<Integer>> versionsPerAlert(List<TestReceiver.Request> rs) {
        Map<String, List<Integer>> out = new java.util.TreeMap<>();
        for (TestReceiver.Request r : rs) {
            out.computeIfAbsent(r.header("X-Echolot-Alert-Id"), k -> new ArrayList<>())
                    .add(Integer.parseInt(r.header("X-Echolot-Alert-Version")));
        }
        return out;
    }

    /** Records in the (non-transactional) dead-letter topic: its end offset. */
    private static long deadLetterCount(KafkaTestServer kafka, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            org.apache.kafka.common.TopicPartition tp =
                    new org.apache.kafka.common.TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    /** Emits {@code versions} states of {@code alerts} alerts, version by version, paced. */
    static final class PacedAlerts extends RichSourceFunction<Alert> {
        private static final long serialVersionUID = 1L;
        private final int alerts;
        private final int versions;
        private final long pauseMillis;
        private volatile boolean running = true;

        PacedAlerts(int alerts, int versions, long pauseMillis) {
            this.alerts = alerts;
            this.versions = versions;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public void run(SourceContext<Alert> ctx) throws Exception {
            for (int v = 1; v <= versions && running; v++) {
                for (int i = 0; i < alerts && running; i++) {
                    synchronized (ctx.getCheckpointLock()) {
                        ctx.collect(WebhookTestAlerts.englishSpike("p-" + i, v));
                    }
                    Thread.sleep(pauseMillis);
                }
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /**
     * Emits 3 versions of 4 alerts, then fails once after a checkpoint completed that was taken
     * when the receiver had refused the latest state of every alert; after the restart it emits
     * nothing and ends, so only the restored sink state can deliver them.
     */
    static final class AlertsThenFailOnce extends RichSourceFunction<Alert>
            implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final String id;
        private transient ListState<Boolean> emittedState;
        private transient boolean emitted;
        private volatile boolean running = true;

        AlertsThenFailOnce(String id) {
            this.id = id;
        }

        @Override
        public void run(SourceContext<Alert> ctx) throws Exception {
            Control control = CONTROLS.get(id);
            if (emitted) {
                return;
            }
            for (int v = 1; v <= 3; v++) {
                for (int i = 0; i < 4; i++) {
                    synchronized (ctx.getCheckpointLock()) {
                        ctx.collect(WebhookTestAlerts.englishSpike("r-" + i, v));
                    }
                    Thread.sleep(50);
                }
            }
            synchronized (ctx.getCheckpointLock()) {
                emitted = true;
            }
            while (running) {
                if (control.failNow.get() && !control.failed.getAndSet(true)) {
                    throw new IllegalStateException("planned failure while the receiver is down");
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            emittedState.update(List.of(emitted));
            Control control = CONTROLS.get(id);
            if (emitted
                    && control.ready != null
                    && control.ready.getAsBoolean()
                    && control.armedCheckpoint < 0) {
                control.armedCheckpoint = context.getCheckpointId();
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            emittedState =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("emitted", Types.BOOLEAN));
            for (Boolean b : emittedState.get()) {
                emitted |= b;
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            Control control = CONTROLS.get(id);
            if (control.armedCheckpoint >= 0 && checkpointId >= control.armedCheckpoint) {
                control.failNow.set(true);
            }
        }
    }

    // ---------------------------------------------------------------------------------------

    static final Map<String, Control> CONTROLS = new ConcurrentHashMap<>();

    /** Shared between the test and the source of the restart test (same JVM). */
    static final class Control {
        final AtomicBoolean firstRequestSeen = new AtomicBoolean();
        final AtomicBoolean failNow = new AtomicBoolean();
        final AtomicBoolean failed = new AtomicBoolean();
        final AtomicBoolean finish = new AtomicBoolean();
        volatile long armedCheckpoint = -1;
        volatile java.util.function.BooleanSupplier ready;
    }

    /**
     * Emits one alert, then fails once after a checkpoint completed that was taken while the
     * receiver held the first send unanswered; after the restart it emits nothing and ends when the
     * receiver acknowledged.
     */
    static final class OneAlertThenFailOnce extends RichSourceFunction<Alert>
            implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final String id;
        private transient ListState<Boolean> emittedState;
        private transient boolean emitted;
        private volatile boolean running = true;

        OneAlertThenFailOnce(String id) {
            this.id = id;
        }

        @Override
        public void run(SourceContext<Alert> ctx) throws Exception {
            Control control = CONTROLS.get(id);
            if (!emitted) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(WebhookTestAlerts.germanBurst("a-restart", 1, AlertState.OPEN));
                    emitted = true;
                }
            }
            while (running && !control.finish.get()) {
                if (control.failNow.get() && !control.failed.getAndSet(true)) {
                    throw new IllegalStateException(
                            "planned failure between send and acknowledgement");
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            emittedState.update(List.of(emitted));
            Control control = CONTROLS.get(id);
            if (control.firstRequestSeen.get() && control.armedCheckpoint < 0) {
                control.armedCheckpoint = context.getCheckpointId();
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            emittedState =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("emitted", Types.BOOLEAN));
            for (Boolean b : emittedState.get()) {
                emitted |= b;
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            Control control = CONTROLS.get(id);
            if (control.armedCheckpoint >= 0 && checkpointId >= control.armedCheckpoint) {
                control.failNow.set(true);
            }
        }
    }

    private WebhookEndpoint signed(String name, String url, WebhookFormat format) throws Exception {
        Path secretFile = dir.resolve("secret-" + name);
        Files.writeString(secretFile, SECRET + "\n");
        return WebhookEndpoint.of(name, url, format, SecretRef.ofFile(secretFile.toString()));
    }

    private static WebhookEndpoint fastRetries(WebhookEndpoint e) {
        return e.withRetries(
                5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    private static WebhookDeadLetters deadLetters() {
        KafkaTestServer kafka = TestServers.kafka();
        return new WebhookDeadLetters(
                kafka.bootstrapServers(), kafka.createTopic("webhook-dlq", 1));
    }

    private static JobExecutionResult run(
            List<Alert> alerts, List<WebhookEndpoint> endpoints, WebhookDeadLetters deadLetters)
            throws Exception {
        return start(alerts, endpoints, deadLetters).getJobExecutionResult().get();
    }

    private static JobClient start(
            List<Alert> alerts, List<WebhookEndpoint> endpoints, WebhookDeadLetters deadLetters)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromData(TypeInformation.of(Alert.class), alerts.toArray(new Alert[0]))
                .sinkTo(new WebhookSink(new WebhookConfig(endpoints), deadLetters))
                .uid("webhook-sink")
                .name("webhooks");
        return env.executeAsync("webhook-sink-it");
    }

    private static WebhookSignature.Verdict verify(TestReceiver.Request r) {
        return WebhookSignature.verify(
                SECRET,
                r.header(WebhookSignature.HEADER_SIGNATURE),
                r.header(WebhookSignature.HEADER_TIMESTAMP),
                r.body(),
                Instant.now(),
                WebhookSignature.DEFAULT_TOLERANCE);
    }

    private static String key(String alertId, int version) {
        return Delivery.idempotencyKey(alertId, version);
    }

    private static List<String> keys(List<TestReceiver.Request> requests) {
        List<String> keys = new ArrayList<>();
        requests.forEach(r -> keys.add(r.header("Idempotency-Key")));
        return keys;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(
            KafkaTestServer kafka, String topic, int count) {
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
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // a little longer, to see that there is no extra dead letter
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            assertThat(records).as("dead letters in " + topic).hasSize(count);
            return records;
        }
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
