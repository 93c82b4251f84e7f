package io.echolot.jobs;

import io.echolot.model.Mention;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends mentions whose {@code created_at} lies more than {@code maxAge} before the clock to the
 * {@link #TOO_OLD} side output (the late topic), counted in {@code mentionsTooOld}. The mentions
 * index is one index per day of {@code created_at}: without this bound every old day in the input
 * (back to 2000, the parser's floor) would create an index of its own, until the cluster's shard
 * limit refuses new ones. Checked before deduplication, so old ids cost no state either.
 */
public class TooOldMentions extends ProcessFunction<Mention, Mention> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Mention> TOO_OLD =
            new OutputTag<>("too-old-mentions") {
                private static final long serialVersionUID = 1L;
            };

    private final Duration maxAge;
    private final Clock clock;

    private transient Counter tooOld;

    /**
     * @param maxAge older mentions go to the side output
     * @param clock a serializable clock ({@code Clock.systemUTC()} in production)
     */
    public TooOldMentions(Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        tooOld = getRuntimeContext().getMetricGroup().counter("mentionsTooOld");
    }

    @Override
    public void processElement(Mention m, Context ctx, Collector<Mention> out) {
        if (m.createdAt().isBefore(clock.instant().minus(maxAge))) {
            tooOld.inc();
            ctx.output(TOO_OLD, m);
        } else {
            out.collect(m);
        }
    }
}
