package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.WindowAggregate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The baseline operator: one score per window, state and timer per key, idle cleanup, size. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpikeBaselineHarnessTest {

    private static final long W = SyntheticCounts.WINDOW.toMillis();

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, SpikeScore>
            harness(BaselineSettings settings) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, SpikeScore> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SpikeBaseline(settings)),
                        new SpikeKeys.OfAggregate(),
                        Types.STRING);
        h.open();
        return h;
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, SpikeScore> h,
            List<WindowAggregate> windows)
            throws Exception {
        for (WindowAggregate a : windows) {
            long ts = a.windowEnd().toEpochMilli() - 1;
            h.processElement(new StreamRecord<>(a, ts));
            h.processWatermark(new Watermark(ts));
        }
    }

    @Test
    void scoresEveryWindowAndRaisesSurpriseWhenVolumeJumps() throws Exception {
        var h = harness(BaselineSettings.defaults());
        long[] counts = SyntheticCounts.poisson(2 * 288, SyntheticCounts.daily(20), 11);
        counts[counts.length - 1] = 400;
        feed(h, SyntheticCounts.aggregates("acme", counts));
        List<SpikeScore> scores = h.extractOutputValues();
        assertThat(scores).hasSize(counts.length);
        assertThat(scores.get(0).warm()).isFalse();
        assertThat(scores.get(0).surprise()).isZero();
        SpikeScore spike = scores.get(scores.size() - 1);
        assertThat(spike.warm()).isTrue();
        assertThat(spike.observed()).isEqualTo(400);
        assertThat(spike.tailProbability()).isLessThan(1e-10);
        assertThat(spike.surprise()).isGreaterThan(0.999).isLessThan(1.0);
        assertThat(spike.velocity()).isEqualTo(400 - counts[counts.length - 2]);
        // the windows before are unremarkable
        assertThat(scores.subList(288, scores.size() - 1))
                .allSatisfy(s -> assertThat(s.tailProbability()).isGreaterThan(1e-6));
        h.close();
    }

    @Test
    void forgetsAnIdleKeyStateAndTimer() throws Exception {
        BaselineSettings settings = BaselineSettings.defaults();
        var h = harness(settings);
        feed(h, SyntheticCounts.aggregates("acme", new long[] {5, 6, 7}));
        feed(h, SyntheticCounts.aggregates("other", new long[] {1, 2}));
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        long lastEnd = SyntheticCounts.T0.toEpochMilli() + 3 * W;
        h.processWatermark(new Watermark(lastEnd + settings.idleTimeout().toMillis() - W));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processWatermark(new Watermark(lastEnd + settings.idleTimeout().toMillis()));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void ignoresARefiringOfAnOlderWindow() throws Exception {
        var h = harness(BaselineSettings.defaults());
        feed(h, SyntheticCounts.aggregates("acme", new long[] {5, 6, 7}));
        h.processElement(new StreamRecord<>(SyntheticCounts.aggregate("acme", 1, 60), 0L));
        assertThat(h.extractOutputValues()).hasSize(3);
        h.close();
    }

    @Test
    void keyedStateIsSmallAndFixedPerKey() throws Exception {
        long[] counts = SyntheticCounts.poisson(3 * 288, SyntheticCounts.daily(20), 3);
        long one = snapshotBytes(1, counts);
        long hundredOne = snapshotBytes(101, counts);
        long perKey = (hundredOne - one) / 100;
        System.out.printf(
                "spike baseline keyed state: %d bytes per key (snapshot of 1 key %d B, of 101 keys"
                        + " %d B)%n",
                perKey, one, hundredOne);
        assertThat(perKey).isBetween(300L, 700L);
    }

    private static long snapshotBytes(int keys, long[] counts) throws Exception {
        var h = harness(BaselineSettings.defaults());
        for (int k = 0; k < keys; k++) {
            feed(h, SyntheticCounts.aggregates("brand-" + k, counts));
        }
        OperatorSubtaskState state = h.snapshot(1L, 1L);
        h.close();
        return state.getManagedKeyedState().stream().mapToLong(s -> s.getStateSize()).sum();
    }

    @Test
    void cleanupDurationIsTheIdleTimeout() {
        assertThat(BaselineSettings.defaults().idleTimeout()).isEqualTo(Duration.ofDays(14));
    }
}
