package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertKey;
import io.echolot.alert.AlertLifecycle;
import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.explain.EmergingTopics;
import io.echolot.explain.EmergingTopicsOperator;
import io.echolot.explain.RuleVocabulary;
import io.echolot.model.Mention;
import io.echolot.rules.BrandRules;
import io.echolot.tools.Timeline.Emission;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.ScopedMention;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's traffic (the scenario {@code up.sh} plays, with its 1-minute emerging-topic buckets)
 * through the emerging-topic operator and the alert lifecycle with the demo's 30 s cooldown: the
 * rumoured recall is one story and one alert, resolved before the live part ends, and nothing else
 * of the demo (the viral cascade, the burst of angry posts, the regular mix) emerges, wherever the
 * minute boundaries fall in the scenario.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoEmergingTopicTest {

    @ParameterizedTest(name = "live start {0} s after a full minute")
    // 51 s: the recall straddles a minute boundary, half of it on each side; 48 s: its last bucket
    // ends late in the live part
    @ValueSource(ints = {0, 17, 34, 48, 51})
    void theRumouredRecallIsTheDemosOnlyEmergingTopic(int offsetSeconds) throws Exception {
        Instant start = Instant.parse("2026-11-23T10:00:00Z").plusSeconds(offsetSeconds);
        Scenario demo =
                new Scenario(
                        100,
                        Duration.ofSeconds(250),
                        Duration.ofMinutes(8),
                        Duration.ofSeconds(2),
                        false,
                        false,
                        0,
                        0,
                        0,
                        Duration.ofMinutes(10),
                        0,
                        new Scenario.Burst(
                                "cardiofit", Duration.ofSeconds(100), Duration.ofSeconds(30), 20),
                        new Scenario.Spike(
                                "strider", Duration.ofSeconds(40), Duration.ofSeconds(45), 8),
                        List.of(new Scenario.Adverse("cardiofit", Duration.ofSeconds(20))),
                        0.85,
                        Duration.ofMinutes(1),
                        null,
                        new Scenario.Story(
                                "cardiofit", Duration.ofSeconds(45), Duration.ofSeconds(50), 1));
        List<Emission> sent = new ArrayList<>();
        new Timeline(demo, 42, start).play(sent::add);
        sent.sort(Comparator.comparingLong(Emission::sendAtNanos));

        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new EmergingTopicsOperator(
                                new EmergingTopics(
                                        Duration.ofMinutes(1),
                                        Duration.ZERO,
                                        672,
                                        5,
                                        Duration.ofSeconds(30),
                                        Duration.ofDays(7),
                                        RuleVocabulary.of(
                                                BrandRules.loadResource(
                                                        "echolot/rules/example-rules.yaml")))),
                        new BrandTopicKey(),
                        Types.STRING);
        h.open();
        // the signals go on to the alert lifecycle with the demo's cooldown, as in the job
        var lifecycle =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AlertLifecycle(
                                        Duration.ofSeconds(30),
                                        Map.of(AlertType.EMERGING_TOPIC, Duration.ofMinutes(1)))),
                        new AlertKey(),
                        Types.STRING);
        lifecycle.open();
        long maxEvent = Long.MIN_VALUE;
        int n = 0;
        for (Emission e : sent) {
            Mention m = e.mention();
            if (m == null || !e.kind().counted || m.isBrandPost()) {
                continue;
            }
            for (String brand : m.brands()) {
                h.processElement(new ScopedMention(brand, "all", m), m.eventTimeMillis());
            }
            maxEvent = Math.max(maxEvent, m.eventTimeMillis());
            if (++n % 500 == 0) {
                // the job's watermark: 30 s of out-of-orderness
                advance(h, lifecycle, maxEvent - 30_000);
            }
        }
        // event time when the demo's live part ends: its checks wait for nothing later
        advance(h, lifecycle, maxEvent - 30_000);
        List<Alert> alerts = lifecycle.extractOutputValues();
        assertThat(alerts).isNotEmpty();
        assertThat(alerts)
                .extracting(Alert::id)
                .as("one incident, one alert")
                .containsOnly(alerts.get(0).id());
        assertThat(alerts).last().extracting(Alert::state).isEqualTo(AlertState.RESOLVED);
        advance(h, lifecycle, maxEvent + 120_000);

        List<AlertSignal> signals = h.extractOutputValues();
        assertThat(signals).isNotEmpty();
        assertThat(signals)
                .allSatisfy(
                        s -> {
                            assertThat(s.type()).isEqualTo(AlertType.EMERGING_TOPIC);
                            assertThat(s.brand()).isEqualTo("cardiofit");
                            assertThat(s.drivers().drivers())
                                    .extracting(Driver::value)
                                    .contains("rueckruf");
                        });
        assertThat(signals.stream().map(AlertSignal::alertKey).distinct()).hasSize(1);
        h.close();
        lifecycle.close();
    }

    /** Moves event time on: the signals it releases reach the lifecycle before the watermark. */
    private static void advance(
            KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal> emerging,
            KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> lifecycle,
            long watermark)
            throws Exception {
        int before = emerging.getOutput().size();
        emerging.processWatermark(new Watermark(watermark));
        List<Object> out = new ArrayList<>(emerging.getOutput());
        for (Object o : out.subList(before, out.size())) {
            if (o instanceof StreamRecord<?> r) {
                lifecycle.processElement(
                        new StreamRecord<>((AlertSignal) r.getValue(), r.getTimestamp()));
            }
        }
        lifecycle.processWatermark(new Watermark(watermark));
    }
}
