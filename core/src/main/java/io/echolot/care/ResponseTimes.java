package io.echolot.care;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the response-time figures of one (brand, topic, platform, window) up to date as outcomes of
 * its items arrive, however late: the changes since the last emission go out together when the
 * watermark next moves (a backlog or a busy key writes its figures once per watermark step, not
 * once per outcome), and the document id is the key, so the latest figures overwrite the earlier
 * ones. {@code asOf} is the latest event time among the outcomes counted (item, reply or due time),
 * so a replay ends with the same documents. State is dropped {@code retention} after the window
 * ends; later answers of its items are then not counted.
 */
public class ResponseTimes extends KeyedProcessFunction<String, ScopedOutcome, CareFigures> {

    private static final long serialVersionUID = 1L;

    private final long retentionMillis;

    private transient ValueState<long[]> counts; // items, answered, within SLA, overdue
    private transient ValueState<List<Long>> responses;
    private transient ValueState<ScopedOutcome> scope;
    private transient ValueState<Long> asOf;
    private transient ValueState<Long> emitAt;

    public ResponseTimes(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("care figures retention must be positive");
        }
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("counts", long[].class));
        responses =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "responses",
                                        TypeInformation.of(new TypeHint<List<Long>>() {})));
        scope =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("scope", ScopedOutcome.class));
        asOf = getRuntimeContext().getState(new ValueStateDescriptor<>("as-of", Long.class));
        emitAt = getRuntimeContext().getState(new ValueStateDescriptor<>("emit-at", Long.class));
    }

    @Override
    public void processElement(ScopedOutcome o, Context ctx, Collector<CareFigures> out)
            throws Exception {
        long[] c = counts.value();
        if (c == null && o.windowEnd() + retentionMillis <= ctx.timerService().currentWatermark()) {
            // its window's figures are final and its state gone: counting it alone would overwrite
            // them with a document of this one outcome
            return;
        }
        if (c == null) {
            c = new long[4];
            scope.update(o);
            ctx.timerService().registerEventTimeTimer(o.windowEnd() + retentionMillis);
        }
        switch (o.kind()) {
            case OPENED -> c[0]++;
            case ANSWERED -> {
                c[1]++;
                c[2]++;
                addResponse(o.responseMillis());
            }
            case ANSWERED_LATE -> {
                c[1]++;
                addResponse(o.responseMillis());
            }
            case OVERDUE -> c[3]++;
        }
        counts.update(c);
        long at = o.eventTime();
        Long previous = asOf.value();
        if (previous != null && previous > at) {
            at = previous;
        }
        asOf.update(at);
        if (emitAt.value() == null) {
            // fires with the next watermark, whatever arrives until then
            long next = ctx.timerService().currentWatermark() + 1;
            ctx.timerService().registerEventTimeTimer(next);
            emitAt.update(next);
        }
    }

    private void addResponse(long millis) throws Exception {
        List<Long> r =
                responses.value() == null ? new ArrayList<>() : new ArrayList<>(responses.value());
        r.add(millis);
        responses.update(r);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CareFigures> out)
            throws Exception {
        ScopedOutcome s = scope.value();
        Long pending = emitAt.value();
        if (pending != null && pending <= timestamp) {
            emitAt.clear();
            out.collect(figures(s, counts.value(), responses.value(), asOf.value()));
        }
        if (s != null && timestamp >= s.windowEnd() + retentionMillis) {
            counts.clear();
            responses.clear();
            scope.clear();
            asOf.clear();
        }
    }

    /** The figures of one key from its counts and response times. */
    static CareFigures figures(ScopedOutcome s, long[] c, List<Long> responseList, long asOf) {
        List<Long> sorted =
                responseList == null ? new ArrayList<>() : new ArrayList<>(responseList);
        Collections.sort(sorted);
        return new CareFigures(
                s.brand(),
                s.topic(),
                s.platform(),
                Instant.ofEpochMilli(s.windowStart()),
                Instant.ofEpochMilli(s.windowEnd()),
                c[0],
                c[1],
                c[2],
                c[3],
                Math.max(0, c[0] - c[1]),
                nearestRank(sorted, 0.5),
                nearestRank(sorted, 0.9),
                Instant.ofEpochMilli(asOf));
    }

    /** The nearest-rank percentile of sorted values: the ⌈p·n⌉-th smallest; null when empty. */
    static Long nearestRank(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
