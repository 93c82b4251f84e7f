package io.echolot.enrich;

import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import io.echolot.ingest.FanOutLimits;
import io.echolot.json.MentionJson;
import io.echolot.model.Mention;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Bounds the fan-out after enrichment: the parser already refuses events with too many brands or
 * topics of their own, but the rules can add more (a text that names many brands). Such a mention
 * goes to the {@link #DEAD_LETTERS} side output, stage {@value DeadLetter#STAGE_ENRICH}, and is
 * counted in {@code mentionsOverLimit}; it is neither indexed nor aggregated, so one mention is
 * never half processed.
 *
 * <p>Its original bytes are gone by then: the dead letter carries the enriched mention as a mention
 * event v1 (key: the mention id), without Kafka coordinates (partition and offset -1).
 */
public class EnforceFanOutLimits extends ProcessFunction<Mention, Mention> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("fan-out-dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    private final FanOutLimits limits;

    private transient Counter overLimit;

    public EnforceFanOutLimits(FanOutLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        overLimit = getRuntimeContext().getMetricGroup().counter("mentionsOverLimit");
    }

    @Override
    public void processElement(Mention m, Context ctx, Collector<Mention> out) {
        String violation = limits.violation(m);
        if (violation == null) {
            out.collect(m);
            return;
        }
        overLimit.inc();
        ctx.output(DEAD_LETTERS, deadLetter(m, violation + " after matching the rules"));
    }

    static DeadLetter deadLetter(Mention m, String reason) {
        RawRecord enriched =
                new RawRecord(
                        null,
                        -1,
                        -1,
                        m.eventTimeMillis(),
                        m.id().getBytes(StandardCharsets.UTF_8),
                        MentionJson.bytes(MentionJson.toEvent(m)));
        return new DeadLetter(enriched, DeadLetter.STAGE_ENRICH, reason);
    }
}
