package io.echolot.detect;

import io.echolot.model.WindowAggregate;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores each window aggregate of a (brand, topic) against the key's learned baseline ({@link
 * BaselineModel}), then learns from it. Keyed by {@link SpikeKeys.OfAggregate}. One value state of
 * fixed size per key and one event-time timer: a key that sends no window for the idle timeout
 * loses both. A window at or before the newest one seen (a late re-firing of the window operator)
 * is neither scored nor learned from, and is counted in {@code spikeBaselineOutOfOrder}.
 */
public final class SpikeBaseline extends KeyedProcessFunction<String, WindowAggregate, SpikeScore> {

    private static final long serialVersionUID = 1L;

    private final BaselineModel model;
    private transient ValueState<BaselineState> state;
    private transient Counter outOfOrder;

    public SpikeBaseline(BaselineSettings settings) {
        this.model = new BaselineModel(settings);
    }

    /** The descriptor of the keyed state, also used to measure it. */
    public static ValueStateDescriptor<BaselineState> stateDescriptor() {
        return new ValueStateDescriptor<>(
                "spike-baseline", TypeInformation.of(BaselineState.class));
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor());
        outOfOrder = getRuntimeContext().getMetricGroup().counter("spikeBaselineOutOfOrder");
    }

    @Override
    public void processElement(WindowAggregate window, Context ctx, Collector<SpikeScore> out)
            throws Exception {
        BaselineState s = state.value();
        if (s == null) {
            s = BaselineState.empty();
        }
        long start = window.windowStart().toEpochMilli();
        long end = window.windowEnd().toEpochMilli();
        if (s.windows > 0 && start < s.lastWindowEnd) {
            outOfOrder.inc();
            return;
        }
        out.collect(score(model, s, window));
        model.update(s, start, end, window.mentions());

        long cleanupAt = end + model.settings().idleTimeout().toMillis();
        if (s.cleanupTimer != cleanupAt) {
            if (s.cleanupTimer != 0) {
                ctx.timerService().deleteEventTimeTimer(s.cleanupTimer);
            }
            ctx.timerService().registerEventTimeTimer(cleanupAt);
            s.cleanupTimer = cleanupAt;
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SpikeScore> out)
            throws Exception {
        BaselineState s = state.value();
        if (s != null && s.cleanupTimer == timestamp) {
            state.clear();
        }
    }

    /** The score of a window under the state's expectation (before learning from it). */
    static SpikeScore score(BaselineModel model, BaselineState s, WindowAggregate window) {
        long start = window.windowStart().toEpochMilli();
        long end = window.windowEnd().toEpochMilli();
        BaselineModel.Expectation e = model.expect(s, start, end);
        long observed = window.mentions();
        double tail = e.warm() ? e.upperTail(observed) : 1.0;
        double keyTail = e.warm() ? e.keyTail(tail) : 1.0;
        BaselineModel.Sum sum = model.sum(s, start, end, observed, e);
        return new SpikeScore(
                window.brand(),
                window.topic(),
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end),
                observed,
                e.mean(),
                e.dispersion(),
                tail,
                keyTail,
                e.warm() ? SpikeScore.surpriseOf(keyTail) : 0.0,
                observed - e.previousObserved(),
                e.warm(),
                window.reshares(),
                window.platforms(),
                window.topMentions(),
                sum.millis(),
                sum.observed(),
                sum.expected(),
                e.warm() ? sum.tail() : 1.0);
    }
}
