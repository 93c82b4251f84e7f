package io.echolot.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.AlertSignal;
import io.echolot.care.CareEvent;
import io.echolot.care.CareOutcome;
import io.echolot.care.UnansweredPattern;
import io.echolot.detect.SpikeAlert;
import io.echolot.detect.SpikePattern;
import io.echolot.detect.SpikeScore;
import io.echolot.detect.SpikeSettings;
import io.echolot.detect.negative.NegativeBurstPattern;
import io.echolot.detect.negative.NegativeScore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The CEP operators of care, spikes and negative bursts: the same output as Flink's operator, and
 * no keyed state and no timer left for a key that is done.
 */
class ReleasingCepOperatorTest {

    static final long MINUTE = 60_000;
    static final long SLA = 10 * MINUTE;

    static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness(
            boolean releasing,
            Class<IN> type,
            KeySelector<IN, String> key,
            Pattern<IN, ?> pattern,
            PatternProcessFunction<IN, OUT> function)
            throws Exception {
        var serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        NFACompiler.NFAFactory<IN> nfa =
                NFACompiler.compileFactory(
                        pattern, function instanceof TimedOutPartialMatchHandler);
        CepOperator<IN, String, OUT> op =
                releasing
                        ? new ReleasingCepOperator<>(
                                serializer, nfa, pattern.getAfterMatchSkipStrategy(), function)
                        : new CepOperator<>(
                                serializer,
                                false,
                                nfa,
                                null,
                                pattern.getAfterMatchSkipStrategy(),
                                function,
                                null);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(op, key, Types.STRING);
        h.open();
        return h;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, CareEvent, CareOutcome> care(
            boolean releasing) throws Exception {
        UnansweredPattern p = new UnansweredPattern(Duration.ofMillis(SLA));
        return harness(releasing, CareEvent.class, CareEvent::key, p.pattern(), p.process());
    }

    static CareEvent item(String conversation, long at) {
        return new CareEvent(
                false,
                "cardiofit",
                conversation,
                "i" + at,
                "x",
                at,
                List.of(),
                false,
                SLA,
                "addressed",
                null,
                null);
    }

    static CareEvent reply(String conversation, long at) {
        return new CareEvent(
                true,
                "cardiofit",
                conversation,
                "r" + at,
                "x",
                at,
                List.of(),
                false,
                0,
                null,
                null,
                null);
    }

    static List<String> outcomes(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.extractOutputValues()) {
            CareOutcome c = (CareOutcome) o;
            out.add(c.kind() + " " + c.item().key() + " " + c.item().at() + " " + c.replyAt());
        }
        ConcurrentLinkedQueue<StreamRecord<CareOutcome>> late =
                h.getSideOutput(UnansweredPattern.OVERDUE);
        if (late != null) {
            for (StreamRecord<CareOutcome> r : late) {
                CareOutcome c = r.getValue();
                out.add(
                        c.kind()
                                + " "
                                + c.item().key()
                                + " "
                                + c.item().at()
                                + " @"
                                + r.getTimestamp());
            }
        }
        return out;
    }

    @Test
    void anAnsweredAndAnOverdueConversationLeaveNoStateAndNoTimers() throws Exception {
        var h = care(true);
        h.processElement(item("answered", 1_000), 1_000);
        h.processElement(item("overdue", 2_000), 2_000);
        h.processElement(reply("answered", 5 * MINUTE), 5 * MINUTE);
        h.processWatermark(5 * MINUTE);
        assertThat(outcomes(h)).containsExactly("ANSWERED cardiofit|answered 1000 300000");
        assertThat(h.numKeyedStateEntries()).as("the overdue item still waits").isPositive();
        assertThat(h.numEventTimeTimers()).isPositive();

        h.processWatermark(2_000 + SLA);
        assertThat(outcomes(h))
                .containsExactly(
                        "ANSWERED cardiofit|answered 1000 300000",
                        "OVERDUE cardiofit|overdue 2000 @" + (2_000 + SLA));
        assertThat(h.numKeyedStateEntries()).isZero();
        // Flink's operator registers a time-bound timer for the reply too; it fires empty
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(5 * MINUTE + SLA);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(outcomes(h)).hasSize(2);
        h.close();
    }

    @Test
    void randomConversationsMatchLikeFlinksOperatorAndEndWithNoState() throws Exception {
        Random random = new Random(42);
        var plain = care(false);
        var releasing = care(true);
        long watermark = 0;
        for (int i = 0; i < 20_000; i++) {
            // timestamps on a coarse grid, so events share times and watermarks land on them
            long at = watermark + 1_000 * (1 + random.nextInt(2 * (int) (SLA / 1_000)));
            String conversation = "c" + random.nextInt(200);
            CareEvent e = random.nextInt(3) == 0 ? reply(conversation, at) : item(conversation, at);
            plain.processElement(e, at);
            releasing.processElement(e, at);
            if (random.nextInt(8) == 0) {
                watermark += 1_000 * random.nextInt(60);
                plain.processWatermark(watermark);
                releasing.processWatermark(watermark);
            }
        }
        plain.processWatermark(watermark + 10 * SLA);
        releasing.processWatermark(watermark + 10 * SLA);

        assertThat(outcomes(releasing)).hasSizeGreaterThan(10_000).isEqualTo(outcomes(plain));
        assertThat(releasing.numKeyedStateEntries()).isZero();
        assertThat(releasing.numEventTimeTimers()).isZero();
        plain.close();
        releasing.close();
    }

    @Test
    void aConversationWaitingInASavepointOfFlinksOperatorIsAnsweredAfterRestore() throws Exception {
        var plain = care(false);
        plain.processElement(item("c", 1_000), 1_000);
        plain.processWatermark(1_000);
        OperatorSubtaskState snapshot = plain.snapshot(1, 1);
        plain.close();

        UnansweredPattern p = new UnansweredPattern(Duration.ofMillis(SLA));
        var op =
                new ReleasingCepOperator<CareEvent, String, CareOutcome>(
                        TypeInformation.of(CareEvent.class)
                                .createSerializer(new SerializerConfigImpl()),
                        NFACompiler.compileFactory(p.pattern(), true),
                        p.pattern().getAfterMatchSkipStrategy(),
                        p.process());
        var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(op, CareEvent::key, Types.STRING);
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(reply("c", 2 * MINUTE), 2 * MINUTE);
        restored.processWatermark(1_000 + SLA);
        assertThat(outcomes(restored)).containsExactly("ANSWERED cardiofit|c 1000 120000");
        assertThat(restored.numKeyedStateEntries()).isZero();
        assertThat(restored.numEventTimeTimers()).isZero();
        restored.close();
    }

    static SpikeScore score(long windowEnd, boolean surprising) {
        return new SpikeScore(
                "cardiofit",
                "all",
                Instant.ofEpochMilli(windowEnd - 5 * MINUTE),
                Instant.ofEpochMilli(windowEnd),
                surprising ? 1_000 : 10,
                10,
                0,
                surprising ? 1e-12 : 0.5,
                surprising ? 1e-12 : 0.5,
                surprising ? 1 : 0.5,
                0,
                true,
                0,
                Map.of(),
                List.of());
    }

    /**
     * A (brand, topic) with quiet and surprising windows, then idle: the watermark of each step
     * lands on the window's timestamp (its last millisecond), as after the window operator.
     */
    static <OUT> List<OUT> runSpikes(
            KeyedOneInputStreamOperatorTestHarness<String, SpikeScore, OUT> h) throws Exception {
        long end = 0;
        boolean[] hot = {false, true, false, true, true, true, false, true};
        for (boolean surprising : hot) {
            end += 5 * MINUTE;
            h.processElement(score(end, surprising), end - 1);
            h.processWatermark(end - 1);
        }
        h.processWatermark(end + Duration.ofDays(1).toMillis());
        return h.extractOutputValues();
    }

    @Test
    void everySpikePatternMatchesLikeFlinksOperatorAndForgetsAnIdleKey() throws Exception {
        for (SpikePattern p : SpikeSettings.defaults().patterns()) {
            var plain =
                    harness(
                            false,
                            SpikeScore.class,
                            s -> s.brand() + "|" + s.topic(),
                            p.pattern(),
                            p.process());
            var releasing =
                    harness(
                            true,
                            SpikeScore.class,
                            s -> s.brand() + "|" + s.topic(),
                            p.pattern(),
                            p.process());
            List<SpikeAlert> expected = runSpikes(plain);
            assertThat(expected).as(p.name()).isNotEmpty();
            assertThat(runSpikes(releasing)).as(p.name()).isEqualTo(expected);
            assertThat(releasing.numKeyedStateEntries()).as(p.name()).isZero();
            assertThat(releasing.numEventTimeTimers()).as(p.name()).isZero();
            if (p.name().equals("extreme-window")) {
                // why the operator exists: Flink's keeps the shared buffer's event counter of the
                // last match for good
                assertThat(plain.numKeyedStateEntries()).as(p.name()).isEqualTo(1);
            }
            plain.close();
            releasing.close();
        }
    }

    static NegativeScore negative(long windowEnd, long negatives) {
        return new NegativeScore(
                "cardiofit",
                "all",
                Instant.ofEpochMilli(windowEnd - 5 * MINUTE),
                Instant.ofEpochMilli(windowEnd),
                100,
                negatives,
                0.05,
                negatives > 20 ? 10 : 0,
                negatives / 5.0,
                100,
                List.of(),
                Map.of());
    }

    @Test
    void aNegativeBurstKeyGoingIdleLeavesNoState() throws Exception {
        for (int windows : new int[] {1, 2}) {
            NegativeBurstPattern burst =
                    new NegativeBurstPattern(5, 2, 3, windows, Duration.ofMinutes(30), 0);
            var plain =
                    harness(
                            false,
                            NegativeScore.class,
                            s -> s.brand() + "|" + s.topic(),
                            burst.pattern(),
                            burst.process());
            var releasing =
                    harness(
                            true,
                            NegativeScore.class,
                            s -> s.brand() + "|" + s.topic(),
                            burst.pattern(),
                            burst.process());
            long end = 0;
            for (long negatives : new long[] {3, 40, 50, 4, 45}) {
                end += 5 * MINUTE;
                for (var h : List.of(plain, releasing)) {
                    h.processElement(negative(end, negatives), end - 1);
                    h.processWatermark(end - 1);
                }
            }
            plain.processWatermark(end + Duration.ofDays(1).toMillis());
            releasing.processWatermark(end + Duration.ofDays(1).toMillis());
            List<AlertSignal> expected = plain.extractOutputValues();
            assertThat(expected).as("windows " + windows).isNotEmpty();
            assertThat(releasing.extractOutputValues()).isEqualTo(expected);
            assertThat(releasing.numKeyedStateEntries()).as("windows " + windows).isZero();
            assertThat(releasing.numEventTimeTimers()).as("windows " + windows).isZero();
            plain.close();
            releasing.close();
        }
    }
}
