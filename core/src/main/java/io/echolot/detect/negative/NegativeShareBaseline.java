package io.echolot.detect.negative;

import io.echolot.model.WindowAggregate;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores each window's negative mentions against the (brand, topic)'s own baseline share of
 * negative mentions, keyed by brand and topic.
 *
 * <p>The baseline is an exponentially weighted mean of the key's own per-window negative share,
 * started by its first window (a prior would bias it: brands differ widely in their usual tone);
 * the burst pattern waits until it rests on enough windows. Windows that already look like a burst
 * update the baseline only up to the threshold, so a burst does not raise its own baseline. A
 * window that does not end after the last one the key has seen (a late firing of a window already
 * counted) is neither scored nor learnt from, counted in {@code negativeBaselineOutOfOrder}: one
 * late mention must not count its window twice. A key without windows for {@code idleTimeout}
 * (event time) is forgotten.
 */
public class NegativeShareBaseline
        extends KeyedProcessFunction<String, WindowAggregate, NegativeScore> {

    private static final long serialVersionUID = 1L;

    /**
     * The share assumed before a key has any history; social-media complaints run at about this.
     */
    public static final double PRIOR_SHARE = 0.3;

    /** Weight of a new window in the moving share; the baseline rests on about 1/ALPHA windows. */
    public static final double ALPHA = 0.05;

    private final double burstZ;
    private final long idleTimeoutMillis;

    private transient ValueState<NegativeBaseline> baseline;
    private transient Counter outOfOrder;

    /**
     * @param burstZ windows at or above this z-score update the baseline only up to it
     * @param idleTimeout state of a key without windows for this long is dropped
     */
    public NegativeShareBaseline(double burstZ, Duration idleTimeout) {
        this.burstZ = burstZ;
        this.idleTimeoutMillis = idleTimeout.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        baseline =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "negative-baseline", NegativeBaseline.class));
        outOfOrder = getRuntimeContext().getMetricGroup().counter("negativeBaselineOutOfOrder");
    }

    @Override
    public void processElement(WindowAggregate a, Context ctx, Collector<NegativeScore> out)
            throws Exception {
        NegativeBaseline b = baseline.value();
        if (b == null) {
            b = new NegativeBaseline();
        }
        long end = a.windowEnd().toEpochMilli();
        if (end <= b.lastWindowEnd) {
            outOfOrder.inc();
            return;
        }
        long n = a.sentiment().scored();
        long k = a.sentiment().negative();
        double p = expectedShare(b);
        double z = zScore(k, n, p);
        double share = n == 0 ? 0 : (double) k / n;
        out.collect(
                new NegativeScore(
                        a.brand(),
                        a.topic(),
                        a.windowStart(),
                        a.windowEnd(),
                        n,
                        k,
                        p,
                        z,
                        p > 0 ? share / p : 0,
                        b.weight,
                        a.topMentions(),
                        a.platforms()));
        if (n > 0) {
            // a burst may not lift its own baseline beyond the burst threshold
            double capped =
                    z >= burstZ ? Math.min(share, p + burstZ * Math.sqrt(p * (1 - p) / n)) : share;
            // a plain running mean while young, so the first (maybe tiny) window does not linger
            double alpha = Math.max(ALPHA, 1 / (b.weight + 1));
            b.share += alpha * (capped - b.share);
            b.weight = Math.min(b.weight + 1, 1 / ALPHA);
        }
        if (end > b.lastWindowEnd) {
            ctx.timerService().deleteEventTimeTimer(b.lastWindowEnd + idleTimeoutMillis);
            b.lastWindowEnd = end;
            ctx.timerService().registerEventTimeTimer(end + idleTimeoutMillis);
        }
        baseline.update(b);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NegativeScore> out)
            throws Exception {
        NegativeBaseline b = baseline.value();
        if (b != null && b.lastWindowEnd + idleTimeoutMillis <= timestamp) {
            baseline.clear();
        }
    }

    /** The key's own baseline share, or {@link #PRIOR_SHARE} before its first window. */
    static double expectedShare(NegativeBaseline b) {
        return b.weight == 0 ? PRIOR_SHARE : b.share;
    }

    /** Binomial z-score of k successes in n trials at probability p (0 when n is 0). */
    static double zScore(long k, long n, double p) {
        if (n == 0) {
            return 0;
        }
        double sd = Math.sqrt(n * p * (1 - p));
        return sd == 0 ? 0 : (k - n * p) / sd;
    }
}
