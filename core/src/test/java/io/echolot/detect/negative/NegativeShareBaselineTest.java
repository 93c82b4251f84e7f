package io.echolot.detect.negative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.echolot.model.EngagementTotals;
import io.echolot.model.SentimentStats;
import io.echolot.model.WindowAggregate;
import io.echolot.window.AggregateKey;
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

class NegativeShareBaselineTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static StreamRecord<WindowAggregate> window(int minute, long scored, long negative) {
        Instant start = T0.plusSeconds(minute * 60L);
        WindowAggregate a =
                new WindowAggregate(
                        "acme",
                        "all",
                        start,
                        start.plusSeconds(60),
                        scored,
                        0,
                        scored,
                        0,
                        new EngagementTotals(0, 0, 0, 0, 0),
                        new SentimentStats(scored, 0.0, 0, scored - negative, negative),
                        Map.of(),
                        Map.of(),
                        List.of());
        return new StreamRecord<>(a, start.plusSeconds(60).toEpochMilli() - 1);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, NegativeScore>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NegativeShareBaseline(3.0, Duration.ofHours(1))),
                new AggregateKey(),
                Types.STRING);
    }

    @Test
    void zScoreIsTheBinomialStandardScore() {
        assertThat(NegativeShareBaseline.zScore(25, 100, 0.25)).isZero();
        assertThat(NegativeShareBaseline.zScore(40, 100, 0.25))
                .isCloseTo(15 / Math.sqrt(18.75), within(1e-9));
        assertThat(NegativeShareBaseline.zScore(3, 0, 0.25)).isZero();
    }

    @Test
    void aNewKeyStartsAtThePriorAndThenFollowsItsOwnShare() {
        NegativeBaseline b = new NegativeBaseline();
        assertThat(NegativeShareBaseline.expectedShare(b))
                .isEqualTo(NegativeShareBaseline.PRIOR_SHARE);
        b.share = 0.7;
        b.weight = 2;
        assertThat(NegativeShareBaseline.expectedShare(b)).isEqualTo(0.7);
    }

    @Test
    void aBurstDoesNotRaiseItsOwnBaselineBeyondTheThresholdAndIdleKeysAreForgotten()
            throws Exception {
        try (var h = harness()) {
            h.open();
            for (int m = 0; m < 20; m++) {
                h.processElement(window(m, 100, 10));
            }
            h.processElement(window(20, 100, 90));
            h.processElement(window(21, 100, 90));
            List<NegativeScore> out = h.extractOutputValues();
            NegativeScore quiet = out.get(19);
            NegativeScore burst = out.get(20);
            NegativeScore second = out.get(21);
            assertThat(quiet.z()).isBetween(-3.0, 3.0);
            assertThat(burst.z()).isGreaterThan(10);
            assertThat(burst.lift()).isGreaterThan(3);
            // the first burst window moved the baseline only a little: the second one is still a
            // burst
            assertThat(second.expectedShare()).isLessThan(burst.expectedShare() + 0.02);
            assertThat(second.z()).isGreaterThan(10);

            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(new Watermark(T0.plusSeconds(22 * 60 + 3600).toEpochMilli()));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aWindowFiredAgainOrBroughtBackLateNeitherScoresNorMovesTheBaseline() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int m = 0; m < 20; m++) {
                h.processElement(window(m, 100, 30));
            }
            // a late firing of the last window, and an old window of a single negative mention
            h.processElement(window(19, 101, 31));
            h.processElement(window(5, 1, 1));
            h.processElement(window(20, 100, 45));
            List<NegativeScore> out = h.extractOutputValues();
            assertThat(out).hasSize(21);
            NegativeScore next = out.get(20);
            assertThat(next.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
            assertThat(next.expectedShare()).isCloseTo(0.30, within(1e-9));
            assertThat(next.history()).isEqualTo(out.get(19).history() + 1);
        }
    }
}
