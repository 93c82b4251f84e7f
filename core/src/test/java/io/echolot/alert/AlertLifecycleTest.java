package io.echolot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> harness()
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AlertLifecycle(Duration.ofMinutes(10))),
                        new AlertKey(),
                        Types.STRING);
        h.open();
        return h;
    }

    private static StreamRecord<AlertSignal> signal(int minute, double observed, double expected) {
        Instant start = T0.plusSeconds(minute * 60L);
        AlertSignal s =
                AlertSignal.builder()
                        .type(AlertType.VIRAL_SPIKE)
                        .brand("acme")
                        .topic("all")
                        .severity(Severity.of(observed, expected))
                        .evidence(
                                Evidence.of(start, start.plusSeconds(60), observed, expected, 0.9)
                                        .withMentions(List.of(), Map.of("x", (long) observed)))
                        .build();
        return new StreamRecord<>(s, start.plusSeconds(60).toEpochMilli() - 1);
    }

    private static List<String> states(
            KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> h) {
        return h.extractOutputValues().stream()
                .map(a -> a.state() + " v" + a.version() + " " + a.severity())
                .toList();
    }

    @Test
    void oneIncidentIsOneAlertThatEscalatesAndResolves() throws Exception {
        try (var h = harness()) {
            h.processElement(signal(0, 30, 10)); // x3: medium
            h.processElement(signal(1, 33, 10)); // same incident, nothing new
            h.processElement(signal(2, 120, 10)); // x12: critical
            h.processWatermark(new Watermark(T0.plusSeconds(3 * 60 + 10 * 60 - 1).toEpochMilli()));
            assertThat(states(h)).containsExactly("OPEN v1 MEDIUM", "UPDATED v2 CRITICAL");

            h.processWatermark(new Watermark(T0.plusSeconds(3 * 60 + 10 * 60).toEpochMilli()));
            assertThat(states(h))
                    .containsExactly(
                            "OPEN v1 MEDIUM", "UPDATED v2 CRITICAL", "RESOLVED v3 CRITICAL");
            List<Alert> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(Alert::id)
                    .containsOnly("viral_spike|acme|all|2026-11-23T10:00:00Z");
            assertThat(out.get(2).resolvedAt()).isEqualTo(T0.plusSeconds(13 * 60));
            assertThat(out.get(2).openedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aSignalAfterTheCooldownOpensANewAlert() throws Exception {
        try (var h = harness()) {
            h.processElement(signal(0, 30, 10));
            h.processWatermark(new Watermark(T0.plusSeconds(60 * 60).toEpochMilli()));
            h.processElement(signal(61, 30, 10));
            List<Alert> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(a -> a.state() + " " + a.id())
                    .containsExactly(
                            "OPEN viral_spike|acme|all|2026-11-23T10:00:00Z",
                            "RESOLVED viral_spike|acme|all|2026-11-23T10:00:00Z",
                            "OPEN viral_spike|acme|all|2026-11-23T11:01:00Z");
        }
    }

    @Test
    void aContinuationUpdatesAndKeepsOpenAnOpenAlertButNeverOpensOne() throws Exception {
        try (var h = harness()) {
            h.processElement(continuation(signal(0, 30, 10))); // nothing open: ignored
            h.processWatermark(new Watermark(T0.plusSeconds(30 * 60).toEpochMilli()));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();

            h.processElement(signal(40, 30, 10)); // opens
            h.processElement(continuation(signal(45, 120, 10))); // the incident grows
            h.processWatermark(new Watermark(T0.plusSeconds(55 * 60 - 1).toEpochMilli()));
            assertThat(states(h)).containsExactly("OPEN v1 MEDIUM", "UPDATED v2 CRITICAL");

            // resolved a cooldown after the continuation, not after the opening signal
            h.processWatermark(new Watermark(T0.plusSeconds(56 * 60).toEpochMilli()));
            List<Alert> out = h.extractOutputValues();
            assertThat(out.get(2).state()).isEqualTo(AlertState.RESOLVED);
            assertThat(out.get(2).resolvedAt()).isEqualTo(T0.plusSeconds(56 * 60));

            h.processElement(continuation(signal(60, 300, 10))); // after resolution: ignored
            h.processWatermark(new Watermark(T0.plusSeconds(90 * 60).toEpochMilli()));
            assertThat(h.extractOutputValues()).hasSize(3);
        }
    }

    /** One emerging-topic signal per bucket, released when event time passes the bucket. */
    private static StreamRecord<AlertSignal> bucket(Instant start, Duration length) {
        Instant end = start.plus(length);
        AlertSignal s =
                AlertSignal.builder()
                        .type(AlertType.EMERGING_TOPIC)
                        .brand("acme")
                        .topic("rueckruf")
                        .severity(Severity.of(20, 2))
                        .evidence(Evidence.of(start, end, 20, 2, 0.9))
                        .build();
        return new StreamRecord<>(s, end.toEpochMilli() - 1);
    }

    @Test
    void aStoryInConsecutiveBucketsLongerThanTheCooldownIsOneAlert() throws Exception {
        Duration minute = Duration.ofMinutes(1);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AlertLifecycle(
                                        Duration.ofSeconds(30),
                                        Map.of(AlertType.EMERGING_TOPIC, minute))),
                        new AlertKey(),
                        Types.STRING)) {
            h.open();
            // each bucket's signal arrives once event time reached its end, as the detector
            // judges it: a whole bucket after the previous one, later than the cooldown
            for (int b = 0; b < 3; b++) {
                Instant start = T0.plus(minute.multipliedBy(b));
                h.processWatermark(new Watermark(start.plus(minute).toEpochMilli() - 2));
                h.processElement(bucket(start, minute));
            }
            h.processWatermark(new Watermark(T0.plusSeconds(4 * 60 - 1).toEpochMilli()));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.state() + " " + a.id())
                    .containsExactly("OPEN emerging_topic|acme|rueckruf|2026-11-23T10:00:00Z");

            // resolved one bucket after the last one, as no further bucket rose
            h.processWatermark(new Watermark(T0.plusSeconds(4 * 60).toEpochMilli()));
            List<Alert> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(Alert::state)
                    .containsExactly(AlertState.OPEN, AlertState.RESOLVED);
            assertThat(out.get(1).resolvedAt()).isEqualTo(T0.plusSeconds(4 * 60));

            // a bucket after a quiet one is a new incident
            h.processElement(bucket(T0.plusSeconds(5 * 60), minute));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.state() + " " + a.id())
                    .endsWith("OPEN emerging_topic|acme|rueckruf|2026-11-23T10:05:00Z");
        }
    }

    @Test
    void aReportIntervalShorterThanTheCooldownChangesNothing() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AlertLifecycle(
                                        Duration.ofMinutes(10),
                                        Map.of(AlertType.VIRAL_SPIKE, Duration.ofMinutes(1)))),
                        new AlertKey(),
                        Types.STRING)) {
            h.open();
            h.processElement(signal(0, 30, 10));
            h.processWatermark(new Watermark(T0.plusSeconds(11 * 60 - 1).toEpochMilli()));
            assertThat(h.extractOutputValues()).hasSize(1);
            h.processWatermark(new Watermark(T0.plusSeconds(11 * 60).toEpochMilli()));
            assertThat(h.extractOutputValues())
                    .last()
                    .extracting(Alert::resolvedAt)
                    .isEqualTo(T0.plusSeconds(11 * 60));
        }
    }

    private static StreamRecord<AlertSignal> continuation(StreamRecord<AlertSignal> r) {
        return new StreamRecord<>(r.getValue().asContinuation(), r.getTimestamp());
    }
}
