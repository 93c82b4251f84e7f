package io.echolot.enrich;

import io.echolot.model.Mention;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each mention id through once: feeds and crawlers re-deliver posts, and a re-delivered post
 * must not count twice in a window or raise a second alert. Keyed by mention id; an id is
 * remembered for {@code window} of event time after the mention, then forgotten (one flag and one
 * timer per id in between). Metric: {@code mentionsDuplicate}.
 */
public class DeduplicateMentions extends KeyedProcessFunction<String, Mention, Mention> {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateMentions(Duration window) {
        this.windowMillis = window.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Boolean.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("mentionsDuplicate");
    }

    @Override
    public void processElement(Mention m, Context ctx, Collector<Mention> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(true);
        ctx.timerService().registerEventTimeTimer(m.eventTimeMillis() + windowMillis);
        out.collect(m);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Mention> out) {
        seen.clear();
    }
}
