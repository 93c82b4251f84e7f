package io.echolot.care;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the care items of conversations the brand takes part in (keyed by brand and conversation):
 * a question or negative reply that does not name the brand ({@link ClassifyCare#CONVERSATION}) is
 * an item only when one of the brand's accounts posted in the conversation at or before it — a
 * customer answering the brand's post or its reply talks to the brand. Every other event passes
 * straight through.
 *
 * <p>The decision is made in event time: such a reply waits until the watermark reaches it, so a
 * brand post read later but posted earlier (another partition, a replay) still counts, and a replay
 * decides the same. The time of the brand's first post is kept {@code retention} (event time) after
 * the conversation's last brand post. Metric: {@code careRepliesNotToBrand} (replies in
 * conversations without the brand, dropped).
 */
public class BrandConversations extends KeyedProcessFunction<String, CareEvent, CareEvent> {

    private static final long serialVersionUID = 1L;

    private final long retentionMillis;

    private transient ValueState<Long> brandSince;
    private transient ValueState<Long> cleanupAt;
    private transient MapState<Long, List<CareEvent>> waiting;
    private transient Counter notToBrand;
    private transient Counter kept;

    public BrandConversations(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("care state retention must be positive");
        }
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        brandSince =
                getRuntimeContext().getState(new ValueStateDescriptor<>("brand-since", Types.LONG));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        waiting =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting",
                                        Types.LONG,
                                        TypeInformation.of(new TypeHint<List<CareEvent>>() {})));
        notToBrand = getRuntimeContext().getMetricGroup().counter("careRepliesNotToBrand");
        kept = getRuntimeContext().getMetricGroup().counter("careConversationItems");
    }

    @Override
    public void processElement(CareEvent e, Context ctx, Collector<CareEvent> out)
            throws Exception {
        if (e.reply()) {
            Long since = brandSince.value();
            if (since == null || e.at() < since) {
                brandSince.update(e.at());
            }
            keepUntil(ctx, e.at() + retentionMillis);
            if (!ClassifyCare.BRAND_POST.equals(e.reason())) {
                out.collect(e);
            }
        } else if (!ClassifyCare.CONVERSATION.equals(e.reason())) {
            out.collect(e);
        } else if (e.at() <= ctx.timerService().currentWatermark()) {
            // already behind event time: every brand post before it has been seen
            decide(e, out);
        } else {
            List<CareEvent> at = waiting.get(e.at());
            List<CareEvent> next = at == null ? new ArrayList<>() : new ArrayList<>(at);
            next.add(e);
            waiting.put(e.at(), next);
            ctx.timerService().registerEventTimeTimer(e.at());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CareEvent> out)
            throws Exception {
        List<CareEvent> due = waiting.get(timestamp);
        if (due != null) {
            waiting.remove(timestamp);
            for (CareEvent e : due) {
                decide(e, out);
            }
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && cleanup <= timestamp) {
            brandSince.clear();
            cleanupAt.clear();
        }
    }

    private void decide(CareEvent e, Collector<CareEvent> out) throws Exception {
        Long since = brandSince.value();
        if (since != null && since <= e.at()) {
            kept.inc();
            out.collect(e);
        } else {
            notToBrand.inc();
        }
    }

    private void keepUntil(Context ctx, long at) throws Exception {
        Long previous = cleanupAt.value();
        if (previous == null || at > previous) {
            // the timer of an item waiting at that very time stays
            if (previous != null && !waiting.contains(previous)) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            ctx.timerService().registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
    }
}
