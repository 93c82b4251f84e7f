package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.index.IndexRecords;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.Mentions;
import io.echolot.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault the exactly-once Kafka sinks are for: the TaskManager is lost after the job wrote dead
 * letters and alert events but before the checkpoint that covers them. The job restarts from the
 * last checkpoint and processes those records again; a consumer reading committed records must
 * still see each dead letter and each alert state once, on the alerts topic and on the alerts'
 * index topic alike (what the indexing job writes to Elasticsearch).
 *
 * <p>Checkpoints are triggered by the test (the interval and the minimum pause are 10 minutes, so
 * Flink takes none of its own while the test runs), so the fault always falls between two
 * checkpoints.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExactlyOnceRestartITCase {

    private static final Duration READ = Duration.ofSeconds(60);

    private final KafkaTestServer kafka = TestServers.kafka();
    private final String brand = "eos" + UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    @Test
    void aTaskManagerLostBetweenCheckpointsRepeatsNoDeadLetterAndNoAlertEvent() throws Exception {
        String topic = kafka.createTopic("mentions", 1);
        String dlq = kafka.createTopic("dlq", 1);
        String alerts = kafka.createTopic("alerts", 1);
        String late = kafka.createTopic("late", 1);
        String indexPrefix = "it-eos-index-" + UUID.randomUUID();
        String alertDocs = indexPrefix + ".alerts";
        JobOptions options =
                JobOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--mentions-topic",
                            topic,
                            "--dead-letter-topic",
                            dlq,
                            "--late-topic",
                            late,
                            "--alerts-topic",
                            alerts,
                            "--alert-cooldown",
                            "5 min",
                            "--group-id",
                            "it-eos-" + UUID.randomUUID(),
                            "--starting-offsets",
                            "earliest",
                            "--index-topic-prefix",
                            indexPrefix,
                            "--es-hosts",
                            TestServers.elasticsearch().url(),
                            "--out-of-orderness",
                            "1 s",
                            "--idleness",
                            "2 s",
                            "--allowed-lateness",
                            "0 s",
                            "--checkpoint-interval",
                            "10 min",
                            "--parallelism",
                            "1"
                        },
                        Map.of());
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));

        try (MiniCluster flink = KafkaITSupport.miniCluster(conf)) {
            // before the fault: the history of the brand (the burst windows stay open, as no later
            // mention moves event time past them) and 5 records that are dead letters
            List<byte[]> mentions = KafkaITSupport.negativeBurst(brand, t0, brand);
            List<byte[]> first = new ArrayList<>(mentions.subList(0, mentions.size() - 1));
            for (int i = 0; i < 5; i++) {
                first.add(i * 30, KafkaITSupport.notJson(brand, i));
            }
            kafka.sendValues(topic, first);
            // Flink takes the first periodic checkpoint at a random time between the minimum
            // pause and the interval after the start; a pause as long as the interval leaves
            // the test's own checkpoints as the only ones while it runs
            Configuration onlyOurCheckpoints = new Configuration();
            onlyOurCheckpoints.set(
                    CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMinutes(10));
            JobID job =
                    flink.submitJob(KafkaITSupport.jobGraph(options, onlyOurCheckpoints))
                            .get(60, TimeUnit.SECONDS)
                            .getJobID();

            // written, but not visible to read_committed consumers before a checkpoint
            awaitUncommitted(dlq, 5);
            assertThat(kafka.read(dlq, 1, Duration.ofSeconds(3))).isEmpty();
            checkpoint(flink, job);
            assertThat(kafka.read(dlq, 5, READ)).hasSize(5);

            // after the checkpoint: 5 more dead letters, and the mention that closes the burst
            // windows and the cooldown, so the burst alert opens and resolves
            List<byte[]> second = new ArrayList<>();
            for (int i = 5; i < 10; i++) {
                second.add(KafkaITSupport.notJson(brand, i));
            }
            second.add(mentions.get(mentions.size() - 1));
            // and a mention of a window that closed before the checkpoint: late in the first
            // attempt, and late again in the replay, which must resume event time where the
            // checkpoint left it instead of taking the mention into its old window again
            String lateId = brand + "-late";
            second.add(
                    Mentions.eventBytes(
                            Mentions.withSentiment(
                                    Mentions.mention(
                                            lateId, brand, List.of(), t0.plusSeconds(5 * 60)),
                                    -0.9)));
            kafka.sendValues(topic, second);
            awaitUncommitted(dlq, 10);
            awaitUncommitted(alerts, 2);
            // the burst alert may have opened before the checkpoint already; what matters is that
            // some alert events are in the open transaction when the fault comes
            List<String> alertsInLog =
                    kafka.readUncommitted(alerts, 99, Duration.ofSeconds(3)).stream()
                            .map(ExactlyOnceRestartITCase::describe)
                            .toList();
            List<String> visible =
                    kafka.read(alerts, 99, Duration.ofSeconds(3)).stream()
                            .map(ExactlyOnceRestartITCase::describe)
                            .toList();
            System.out.printf(
                    "[exactly-once] before the fault: alert events in the log %s, committed %s%n",
                    alertsInLog, visible);
            int alertsWritten = alertsInLog.size();
            int alertsCommitted = visible.size();
            assertThat(alertsWritten).isGreaterThan(alertsCommitted);
            // the same states as index writes, in the same open transaction
            awaitUncommitted(alertDocs, alertsWritten);
            assertThat(kafka.read(alertDocs, alertsWritten, Duration.ofSeconds(3)))
                    .extracting(ExactlyOnceRestartITCase::documentState)
                    .hasSize(alertsCommitted);

            // the fault: the TaskManager goes away with the transactions of these records open
            long faultAt = System.nanoTime();
            flink.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
            flink.startTaskManager();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> flink.getJobStatus(job).get() == JobStatus.RUNNING);
            // the restarted job wrote the second batch again: 5 committed + 5 aborted + 5 new
            awaitUncommitted(dlq, 15);
            awaitUncommitted(alerts, 2 * alertsWritten - alertsCommitted);
            double recovered = (System.nanoTime() - faultAt) / 1e9;
            checkpoint(flink, job);
            // the committer commits after the checkpoint completed, not with it: wait until the
            // records are visible, then read a while longer for any repeat
            awaitCommitted(dlq, 10);
            double committed = (System.nanoTime() - faultAt) / 1e9;

            List<String> deadLetters = values(kafka.read(dlq, 11, Duration.ofSeconds(10)));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expected.add(new String(KafkaITSupport.notJson(brand, i), StandardCharsets.UTF_8));
            }
            assertThat(deadLetters).containsExactlyInAnyOrderElementsOf(expected);

            // every alert state the job emitted, committed exactly once
            List<String> everState =
                    kafka.readUncommitted(alerts, 99, Duration.ofSeconds(5)).stream()
                            .map(ExactlyOnceRestartITCase::alertState)
                            .distinct()
                            .toList();
            awaitCommitted(alerts, everState.size());
            List<ConsumerRecord<byte[], byte[]>> states =
                    kafka.read(alerts, everState.size() + 1, Duration.ofSeconds(10));
            assertThat(everState).hasSize(2);
            assertThat(states)
                    .extracting(ExactlyOnceRestartITCase::alertState)
                    .containsExactlyInAnyOrderElementsOf(everState);
            // the alerts index gets the committed states only, each once: none of the lost
            // attempt's writes, which a replay need not repeat under the same alert id
            awaitCommitted(alertDocs, everState.size());
            assertThat(kafka.read(alertDocs, everState.size() + 1, Duration.ofSeconds(10)))
                    .extracting(ExactlyOnceRestartITCase::documentState)
                    .containsExactlyInAnyOrderElementsOf(everState);
            assertThat(kafka.readUncommitted(alertDocs, 99, Duration.ofSeconds(3)).size())
                    .as("alert documents in the log, the lost attempt's included")
                    .isEqualTo(kafka.readUncommitted(alerts, 99, Duration.ofSeconds(3)).size());
            // the late mention on the late topic once, as in the first attempt
            awaitCommitted(late, 1);
            assertThat(values(kafka.read(late, 2, Duration.ofSeconds(5))))
                    .singleElement()
                    .asString()
                    .contains(lateId);
            int inLog = kafka.readUncommitted(dlq, Integer.MAX_VALUE, Duration.ofSeconds(5)).size();
            System.out.printf(
                    "[exactly-once] TaskManager lost: job running and the lost records written"
                            + " again %.1f s after the fault, committed at %.1f s; dead-letter log"
                            + " holds %d records, read_committed sees %d; alert events %d of %d in"
                            + " the log (%d in the open transaction at the fault)%n",
                    recovered,
                    committed,
                    inLog,
                    deadLetters.size(),
                    states.size(),
                    kafka.readUncommitted(alerts, 99, Duration.ofSeconds(3)).size(),
                    alertsWritten - alertsCommitted);
            flink.cancelJob(job).get(30, TimeUnit.SECONDS);
        }
    }

    private void awaitUncommitted(String topic, int atLeast) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            // the records themselves in the message: which states were repeated
                            List<ConsumerRecord<byte[], byte[]>> inLog =
                                    kafka.readUncommitted(topic, atLeast, Duration.ofSeconds(2));
                            assertThat(inLog.size())
                                    .as(
                                            "records in the log of %s: %s",
                                            topic,
                                            inLog.stream()
                                                    .map(ExactlyOnceRestartITCase::describe)
                                                    .toList())
                                    .isGreaterThanOrEqualTo(atLeast);
                        });
    }

    /** Waits until a read_committed consumer sees at least {@code atLeast} records. */
    private void awaitCommitted(String topic, int atLeast) {
        Awaitility.await()
                .atMost(READ)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () ->
                                assertThat(kafka.read(topic, atLeast, Duration.ofSeconds(2)))
                                        .as("committed records on %s", topic)
                                        .hasSizeGreaterThanOrEqualTo(atLeast));
    }

    /** Triggers a checkpoint, again while the job's tasks are still coming up. */
    private static void checkpoint(MiniCluster flink, JobID job) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> flink.triggerCheckpoint(job).get(60, TimeUnit.SECONDS) != null);
    }

    /** Offset, key and alert version (if any) of a record, for failure messages. */
    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        var version = r.headers().lastHeader("echolot.alert.version");
        return r.offset()
                + ":"
                + (r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8))
                + (version == null
                        ? ""
                        : "@" + new String(version.value(), StandardCharsets.UTF_8));
    }

    /** Alert id and version: one alert state. */
    private static String alertState(ConsumerRecord<byte[], byte[]> r) {
        return keyAt(r, "echolot.alert.version");
    }

    /** Document id and external version of an index write: one alert state. */
    private static String documentState(ConsumerRecord<byte[], byte[]> r) {
        return keyAt(r, IndexRecords.HEADER_VERSION);
    }

    private static String keyAt(ConsumerRecord<byte[], byte[]> r, String versionHeader) {
        return new String(r.key(), StandardCharsets.UTF_8)
                + "@"
                + new String(r.headers().lastHeader(versionHeader).value(), StandardCharsets.UTF_8);
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
