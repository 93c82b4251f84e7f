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
                new AlertSignal(
                        AlertType.VIRAL_SPIKE,
                        "acme",
                        "all",
                        start,
                        start.plusSeconds(60),
                        observed,
                        expected,
                        0.9,
                        Severity.of(observed, expected),
                        List.of(),
                        Map.of("x", (long) observed),
                        null,
                        null);
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

    private static StreamRecord<AlertSignal> continuation(StreamRecord<AlertSignal> r) {
        return new StreamRecord<>(r.getValue().asContinuation(), r.getTimestamp());
    }
}
