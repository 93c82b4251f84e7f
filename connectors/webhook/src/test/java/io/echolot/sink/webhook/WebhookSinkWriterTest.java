package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.json.Json;
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
    private TestProcessingTimeService time = new TestProcessingTimeService();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<String[]> deadLetters = new ArrayList<>();
    private final List<Long> deadLetterTimes = new ArrayList<>();
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
        Alert broken = a.toBuilder().platforms(null).build();
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

    @Test
    void aNewerStateSupersedesOneWaitingForARetryAndOtherAlertsAreNotHeldUp() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean aDown =
                new java.util.concurrent.atomic.AtomicBoolean(true);
        receiver.close();
        receiver =
                new TestReceiver(
                        0,
                        (n, r) ->
                                TestReceiver.Answer.of(
                                        aDown.get() && r.header("X-Echolot-Alert-Id").equals("a")
                                                ? 503
                                                : 204));
        writer = open(List.of(retrying()), List.of());

        writer.write(WebhookTestAlerts.englishSpike("a", 1), null);
        mailbox.drain();
        // a v1 failed and waits for its retry; v2 takes its place, b goes out at once
        writer.write(WebhookTestAlerts.englishSpike("a", 2), null);
        writer.write(WebhookTestAlerts.englishSpike("b", 1), null);
        mailbox.drain();
        assertThat(versions("b")).containsExactly(1);
        assertThat(metrics.count("webhooksDelivered")).isEqualTo(1);
        writer.write(WebhookTestAlerts.englishSpike("a", 3), null);
        assertThat(writer.snapshotState(1))
                .extracting(Delivery::alertId, Delivery::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 3));

        aDown.set(false);
        advanceToNextTimer();

        assertThat(versions("a")).containsExactly(1, 3);
        assertThat(metrics.count("webhooksCoalesced")).isEqualTo(2);
        assertThat(metrics.count("webhooksDelivered")).isEqualTo(2);
        assertThat(deadLetters).isEmpty();
        assertThat(writer.snapshotState(2)).isEmpty();
    }

    @Test
    void theNextStateOfAnAlertWaitsForTheAnswerToTheOneInFlight() throws Exception {
        receiver.close();
        receiver = new TestReceiver(0, (n, r) -> TestReceiver.Answer.of(n == 0 ? 503 : 204));
        writer = open(List.of(retrying()), List.of());

        // v1 is in flight until the mailbox runs its answer: v2 .. v50 wait behind it
        for (int v = 1; v <= 50; v++) {
            writer.write(WebhookTestAlerts.englishSpike("a", v), null);
        }
        // bounded: the state in flight and the newest behind it
        assertThat(writer.snapshotState(1)).extracting(Delivery::version).containsExactly(1, 50);
        mailbox.drain();
        assertThat(versions("a")).containsExactly(1);
        advanceToNextTimer();

        // v1 failed: v50 was retried in its place, never a state in between, never two at once
        assertThat(versions("a")).containsExactly(1, 50);
        assertThat(receiver.requests("/json").get(1).header("X-Echolot-Attempt")).isEqualTo("1");
        assertThat(metrics.count("webhooksCoalesced")).isEqualTo(49);
        assertThat(metrics.count("webhooksDelivered")).isEqualTo(1);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void anAcknowledgedStateLetsTheNextOneGoWithoutWaiting() throws Exception {
        writer = open(List.of(retrying()), List.of());

        writer.write(WebhookTestAlerts.englishSpike("a", 1), null);
        writer.write(WebhookTestAlerts.englishSpike("a", 2), null);
        mailbox.drain();

        assertThat(versions("a")).containsExactly(1, 2);
        assertThat(metrics.count("webhooksCoalesced")).isZero();
        assertThat(metrics.count("webhooksDelivered")).isEqualTo(2);
    }

    @Test
    void atMaxQueuedAlertsAStateOfAnotherAlertIsDeadLetteredButNewerStatesStillReplace()
            throws Exception {
        receiver.close();
        receiver = TestReceiver.answering(503);
        writer = open(List.of(retrying().withLimits(2, 1000, 2)), List.of());

        writer.write(WebhookTestAlerts.englishSpike("a", 1), null);
        writer.write(WebhookTestAlerts.englishSpike("b", 1), null);
        mailbox.drain();
        writer.write(WebhookTestAlerts.englishSpike("a", 2), null);
        writer.write(WebhookTestAlerts.englishSpike("c", 1), null);

        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0)[0]).isEqualTo("c");
        assertThat(deadLetters.get(0)[1]).contains("2 other alerts waiting (max_queued)");
        assertThat(metrics.count("webhooksCoalesced")).isEqualTo(1);
        assertThat(writer.snapshotState(1))
                .extracting(Delivery::alertId, Delivery::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", 2),
                        org.assertj.core.groups.Tuple.tuple("b", 1));
    }

    @Test
    void retriesForMaxRetryDurationFromTheFirstSendAcrossARestartThenDeadLetters()
            throws Exception {
        receiver.close();
        receiver = TestReceiver.answering(503);
        WebhookEndpoint e = retrying().withMaxRetryDuration(java.time.Duration.ofMinutes(10));
        long start = time.getCurrentProcessingTime();
        writer = open(List.of(e), List.of());
        writer.write(WebhookTestAlerts.englishSpike("a", 1), null);
        mailbox.drain();
        while (time.getCurrentProcessingTime() < start + 6 * 60_000) {
            advanceToNextTimer();
        }
        assertThat(deadLetters).isEmpty();
        int sentBefore = receiver.requests("/json").size();
        assertThat(sentBefore).isGreaterThan(5);
        List<Delivery> checkpoint = checkpointed(writer.snapshotState(1));
        assertThat(checkpoint)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.attempts()).isEqualTo(sentBefore);
                            assertThat(d.firstAttemptMillis()).isEqualTo(start);
                        });
        writer.close();

        // the job comes back at minute 8 (a new task, a new timer service): the 10 minutes still
        // count from the first send, not from the restart
        assertThat(time.getCurrentProcessingTime()).isLessThan(start + 8 * 60_000);
        time = new TestProcessingTimeService();
        time.setCurrentTime(start + 8 * 60_000);
        writer = open(List.of(e), checkpoint);
        mailbox.drain();
        while (deadLetters.isEmpty()) {
            assertThat(time.getCurrentProcessingTime()).isLessThan(start + 11 * 60_000);
            advanceToNextTimer();
        }

        assertThat(deadLetterTimes).containsExactly(start + 10 * 60_000);
        assertThat(deadLetters.get(0)[1]).contains("gave up after", "in 600 s", "status 503");
        List<TestReceiver.Request> requests = receiver.requests("/json");
        assertThat(requests.get(sentBefore).header("X-Echolot-Attempt"))
                .isEqualTo(Integer.toString(sentBefore + 1));
        assertThat(writer.snapshotState(2)).isEmpty();
    }

    @Test
    void ofTwoRestoredStatesOfOneAlertOnlyTheNewerIsSentKeepingTheOlderClock() throws Exception {
        Alert a1 = WebhookTestAlerts.englishSpike("a", 1);
        Alert a2 = WebhookTestAlerts.englishSpike("a", 2);
        byte[] j1 = WebhookPayloads.render(WebhookFormat.JSON, a1, "en");
        byte[] j2 = WebhookPayloads.render(WebhookFormat.JSON, a2, "en");
        long first = time.getCurrentProcessingTime() - 60_000;
        Delivery inFlight = new Delivery("json", "a", 1, first, 3, j1, j1, first);
        Delivery behind = new Delivery("json", "a", 2, first + 1, 0, j2, j2);

        writer = open(List.of(retrying()), List.of(inFlight, behind));
        assertThat(writer.snapshotState(1))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.version()).isEqualTo(2);
                            assertThat(d.firstAttemptMillis()).isEqualTo(first);
                        });
        writer.flush(true);

        assertThat(versions("a")).containsExactly(2);
        assertThat(metrics.count("webhooksCoalesced")).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------

    /** Small backoffs, no attempt limit, a rate the test clock never runs into. */
    private WebhookEndpoint retrying() {
        return json().withRetries(
                        WebhookEndpoint.UNBOUNDED_ATTEMPTS,
                        java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofMinutes(1),
                        java.time.Duration.ofSeconds(5))
                .withLimits(2, 1000, 1000);
    }

    /** Versions of an alert in the order the receiver got them. */
    private List<Integer> versions(String alertId) {
        List<Integer> out = new ArrayList<>();
        for (TestReceiver.Request r : receiver.requests("/json")) {
            if (alertId.equals(r.header("X-Echolot-Alert-Id"))) {
                out.add(Integer.parseInt(r.header("X-Echolot-Alert-Version")));
            }
        }
        return out;
    }

    /** Moves the test clock to the writer's next timer and handles what that sends. */
    private void advanceToNextTimer() throws Exception {
        long next =
                time.getActiveTimerTimestamps().stream()
                        .mapToLong(Long::longValue)
                        .min()
                        .orElseThrow(() -> new AssertionError("the writer waits for nothing"));
        time.setCurrentTime(Math.max(next, time.getCurrentProcessingTime()));
        mailbox.drain();
    }

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
                        deadLetterTimes.add(time.getCurrentProcessingTime());
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
        return checkpointed(List.of(d));
    }

    private static List<Delivery> checkpointed(List<Delivery> state) throws IOException {
        DeliverySerializer s = new DeliverySerializer();
        List<Delivery> out = new ArrayList<>();
        for (Delivery d : state) {
            out.add(s.deserialize(s.getVersion(), s.serialize(d)));
        }
        return out;
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

        /**
         * Runs every answer that comes until none has come for a while, without moving the clock:
         * what a task does between two timers.
         */
        void drain() {
            while (true) {
                ThrowingRunnable<? extends Exception> mail;
                try {
                    // an answer of the real receiver may take a while on a busy machine
                    mail = mails.poll(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (mail == null) {
                    return;
                }
                run(mail);
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
