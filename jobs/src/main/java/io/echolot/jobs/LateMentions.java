package io.echolot.jobs;

import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.window.ScopedMention;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the windows' late-data output back into one record per late mention: a late mention arrives
 * once per (brand, topic) it belongs to, and the brand-level copy stands for all of them. Counted
 * in {@code lateMentions}.
 */
public class LateMentions extends ProcessFunction<ScopedMention, Mention> {

    private static final long serialVersionUID = 1L;

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter("lateMentions");
    }

    @Override
    public void processElement(ScopedMention value, Context ctx, Collector<Mention> out) {
        if (WindowAggregate.ALL_TOPICS.equals(value.topic())) {
            late.inc();
            out.collect(value.mention());
        }
    }
}
