package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.serde.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.flink.util.function.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The writer on the test thread as its task thread, with a mailbox the test drives, against a real
 * HTTP receiver on loopback: an alert or a restored delivery that breaks while being rendered,
 * built or sent ends in the dead letters, and the writer goes on.
 */
@Timeout(60)
class WebhookSinkWriterTest {

    private static final String SECRET = "writer-test-secret-0123456789";
    private static final String HOSTILE_ID = "adverse-😡線€-m-1\r\nX-Injected: yes";

    private TestReceiver receiver;
    private final TestMailbox mailbox = new TestMailbox();
    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<String[]> deadLetters = new ArrayList<>();
    private WebhookSinkWriter writer;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = TestReceiver.answering(204);
        // processing time is wall-clock time in a task; the test service starts at Long.MIN_VALUE
        time.setCurrentTime(1_700_000_000_000L);
    }

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.close();
        }
        receiver.close();
    }

    @Test
    void restoredDeliveryWithANonLatin1AlertIdIsSentWithAsciiHeaders() throws Exception {
        Alert alert = WebhookTestAlerts.germanBurst(HOSTILE_ID, 1, AlertState.OPEN);
        byte[] json = WebhookPayloads.render(WebhookFormat.JSON, alert, "de");
        Delivery d = new Delivery("json", HOSTILE_ID, 1, 1_700_000_000_000L, 1, json, json);

        writer = open(List.of(json()), checkpointed(d));
        writer.flush(true);

        List<TestReceiver.Request> requests = receiver.requests("/json");
        assertThat(requests).hasSize(1);
        TestReceiver.Request r = requests.get(0);
        assertThat(r.header("Idempotency-Key"))
                .isEqualTo(Delivery.idempotencyKey(HOSTILE_ID, 1))
                .matches("[0-9a-f]{64}");
        assertThat(r.header("X-Echolot-Alert-Id"))
                .isEqualTo("adverse-%F0%9F%98%A1%E7%B7%9A%E2%82%AC-m-1%0D%0AX-Injected:%20yes");
        assertThat(r.header("X-Injected")).isNull();
        assertThat(r.header("X-Echolot-Attempt")).isEqualTo("2");
        assertThat(Json.mapper().readTree(r.body()).get("id").asText()).isEqualTo(HOSTILE_ID);
        assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK);
        assertThat(deadLetters).isEmpty();
        assertThat(metrics.count("webhooksDelivered")).isEqualTo(1);
    }

    @Test
    void restoredDeliveryThatCannotBeSentIsDeadLetteredAndTheOthersGoOut() throws Exception {
        Alert good = WebhookTestAlerts.englishSpike("good", 1);
        byte[] goodJson = WebhookPayloads.render(WebhookFormat.JSON, good, "en");
        // what a damaged or foreign checkpoint could hold: a delivery without a body
        Delivery broken = new Delivery("json", "broken", 4, 1L, 0, null, goodJson);
        Delivery fine = new Delivery("json", "good", 1, 1L, 0, goodJson, goodJson);

        writer = open(List.of(json()), List.of(broken, fine));
        writer.flush(true);

        assertThat(keys(receiver.requests("/json")))
                .containsExactly(Delivery.idempotencyKey("good", 1));
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0)[0]).isEqualTo("broken");
        assertThat(deadLetters.get(0)[1])
                .startsWith("endpoint json: could not build the request: NullPointerException");
        assertThat(metrics.count("webhooksDeadLettered")).isEqualTo(1);
        assertThat(metrics.count("webhooksDelivered")).isEqualTo(1);
        assertThat(writer.snapshotState(1)).isEmpty();
    }

    @Test
    void alertWhoseDocumentCannotBeRenderedIsDeadLetteredForThatEndpointOnly() throws Exception {
        Alert a = WebhookTestAlerts.germanBurst("no-platforms", 1, AlertState.OPEN);
        // the alert document needs the platform counts, the chat message does not
        Alert broken =
                new Alert(
                        a.id(),
                        a.version(),
                        a.type(),
                        a.state(),
                        a.severity(),
                        a.brand(),
                        a.topic(),
                        a.openedAt(),
                        a.updatedAt(),
                        a.resolvedAt(),
                        a.windowStart(),
                        a.windowEnd(),
                        a.observed(),
                        a.expected(),
                        a.score(),
                        a.topMentions(),
                        null);
        Alert next = WebhookTestAlerts.englishSpike("next", 1);
        writer = open(List.of(json(), slack()), List.of());

        writer.write(broken, null);
        writer.write(next, null);
        writer.flush(true);

        assertThat(deadLetters).hasSize(1);
        String[] letter = deadLetters.get(0);
        assertThat(letter[0]).isEqualTo("no-platforms");
        assertThat(letter[1])
                .startsWith("endpoint json: could not render the alert: NullPointerException");
        JsonNode stub = Json.mapper().readTree(letter[2]);
        assertThat(stub.get("id").asText()).isEqualTo("no-platforms");
        assertThat(stub.get("incomplete").asBoolean()).isTrue();
        assertThat(keys(receiver.requests("/json")))
                .containsExactly(Delivery.idempotencyKey("next", 1));
        assertThat(keys(receiver.requests("/slack")))
                .containsExactlyInAnyOrder(
                        Delivery.idempotencyKey("no-platforms", 1),
                        Delivery.idempotencyKey("next", 1));
        assertThat(metrics.count("webhooksDeadLettered")).isEqualTo(1);
    }

    @Test
    void hostileAlertIsDeliveredToEveryFormatWithAsciiHeaders() throws Exception {
        Alert hostile = WebhookPayloadsTest.hostile();
        writer = open(List.of(json(), slack(), teams()), List.of());

        writer.write(hostile, null);
        writer.flush(true);

        assertThat(deadLetters).isEmpty();
        for (String path : List.of("/json", "/slack", "/teams")) {
            List<TestReceiver.Request> requests = receiver.requests(path);
            assertThat(requests).as(path).hasSize(1);
            TestReceiver.Request r = requests.get(0);
            assertThat(r.header("Idempotency-Key"))
                    .isEqualTo(Delivery.idempotencyKey(hostile.id(), 3));
            assertThat(r.header("X-Echolot-Alert-Id")).matches("[\\x21-\\x7e]+");
            assertThat(verify(r)).isEqualTo(WebhookSignature.Verdict.OK);
            Json.mapper().readTree(r.body());
        }
        assertThat(
                        Json.mapper()
                                .readTree(receiver.requests("/json").get(0).body())
                                .get("id")
                                .asText())
                .isEqualTo(hostile.id());
    }

    // ---------------------------------------------------------------------------------------

    private WebhookEndpoint json() {
        return endpoint("json", WebhookFormat.JSON);
    }

    private WebhookEndpoint slack() {
        return endpoint("slack", WebhookFormat.SLACK);
    }

    private WebhookEndpoint teams() {
        return endpoint("teams", WebhookFormat.TEAMS);
    }

    private WebhookEndpoint endpoint(String name, WebhookFormat format) {
        return WebhookEndpoint.of(name, receiver.url("/" + name), format, SecretRef.ofEnv("S"));
    }

    private WebhookSinkWriter open(List<WebhookEndpoint> endpoints, Collection<Delivery> restored)
            throws IOException {
        WebhookSinkWriter.DeadLetterTarget target =
                new WebhookSinkWriter.DeadLetterTarget() {
                    @Override
                    public void open(int subtask) {}

                    @Override
                    public void accept(Delivery d, String reason) {
                        deadLetters.add(
                                new String[] {
                                    d.alertId(),
                                    reason,
                                    new String(d.alertJson(), StandardCharsets.UTF_8)
                                });
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        return new WebhookSinkWriter(
                new WebhookConfig(endpoints), target, context(), restored, Map.of("S", SECRET));
    }

    /** The delivery as a restored writer gets it: through the checkpoint serializer. */
    private static List<Delivery> checkpointed(Delivery d) throws IOException {
        DeliverySerializer s = new DeliverySerializer();
        return List.of(s.deserialize(s.getVersion(), s.serialize(d)));
    }

    private static List<String> keys(List<TestReceiver.Request> requests) {
        List<String> keys = new ArrayList<>();
        requests.forEach(r -> keys.add(r.header("Idempotency-Key")));
        return keys;
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

    private WriterInitContext context() {
        return new WriterInitContext() {
            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                throw new UnsupportedOperationException();
            }

            @Override
            public MailboxExecutor getMailboxExecutor() {
                return mailbox;
            }

            @Override
            public ProcessingTimeService getProcessingTimeService() {
                return time;
            }

            @Override
            public SinkWriterMetricGroup metricGroup() {
                return metrics;
            }

            @Override
            public SerializationSchema.InitializationContext
                    asSerializationSchemaInitializationContext() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isObjectReuseEnabled() {
                return false;
            }

            @Override
            public <IN> TypeSerializer<IN> createInputSerializer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public OptionalLong getRestoredCheckpointId() {
                return OptionalLong.empty();
            }

            @Override
            public JobInfo getJobInfo() {
                return new JobInfoImpl(new JobID(), "writer-test");
            }

            @Override
            public TaskInfo getTaskInfo() {
                return new TaskInfoImpl("webhooks", 1, 0, 1, 0);
            }
        };
    }

    /**
     * A mailbox on the test thread: mails run when the writer yields, as in a task; while none is
     * there, processing time moves on, so rate-limit and backoff timers fire.
     */
    private final class TestMailbox implements MailboxExecutor {
        private final LinkedBlockingQueue<ThrowingRunnable<? extends Exception>> mails =
                new LinkedBlockingQueue<>();

        @Override
        public void execute(
                MailOptions options,
                ThrowingRunnable<? extends Exception> command,
                String description,
                Object... args) {
            mails.add(command);
        }

        @Override
        public void yield() throws InterruptedException {
            while (true) {
                ThrowingRunnable<? extends Exception> mail = mails.poll(20, TimeUnit.MILLISECONDS);
                if (mail != null) {
                    run(mail);
                    return;
                }
                try {
                    time.advance(100);
                } catch (Exception e) {
                    throw new IllegalStateException("a timer failed the task", e);
                }
            }
        }

        @Override
        public boolean tryYield() {
            ThrowingRunnable<? extends Exception> mail = mails.poll();
            if (mail == null) {
                return false;
            }
            run(mail);
            return true;
        }

        @Override
        public boolean shouldInterrupt() {
            return false;
        }

        private void run(ThrowingRunnable<? extends Exception> mail) {
            try {
                mail.run();
            } catch (Exception e) {
                // in a task this fails the job
                throw new IllegalStateException("a mail failed the task", e);
            }
        }
    }

    /** Sink-writer metrics whose counters the test can read. */
    private static final class RecordingMetrics extends UnregisteredMetricsGroup
            implements SinkWriterMetricGroup {
        private final Map<String, Counter> counters = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(name, counter);
            return counter;
        }

        long count(String name) {
            return counters.get(name).getCount();
        }

        @Override
        public OperatorIOMetricGroup getIOMetricGroup() {
            return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
        }

        @Override
        public Counter getNumRecordsOutErrorsCounter() {
            return new SimpleCounter();
        }

        @Override
        public Counter getNumRecordsSendErrorsCounter() {
            return new SimpleCounter();
        }

        @Override
        public Counter getNumRecordsSendCounter() {
            return new SimpleCounter();
        }

        @Override
        public Counter getNumBytesSendCounter() {
            return new SimpleCounter();
        }

        @Override
        public void setCurrentSendTimeGauge(org.apache.flink.metrics.Gauge<Long> gauge) {}
    }
}
