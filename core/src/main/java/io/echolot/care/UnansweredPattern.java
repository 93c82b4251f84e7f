package io.echolot.care;

import io.echolot.cep.ReleasingCep;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The CEP pattern of one SLA: a care item with this SLA followed by a brand reply in the same
 * conversation (the stream is keyed by brand and conversation) within the SLA, in event time. A
 * match is an item {@link CareOutcome.Kind#ANSWERED} in time; a partial match that times out is an
 * item {@link CareOutcome.Kind#OVERDUE}, emitted to {@link #OVERDUE} when the watermark passes its
 * due time. CEP orders events by event time before matching, so a reply that arrives before the
 * complaint it answers (but was posted after it) still answers it; a reply posted before an item
 * does not. Several items of one conversation are each answered by the first reply after them. A
 * reply exactly at the due time is late.
 *
 * <p>CEP's {@code within} is one duration per pattern, so the job runs one pattern per distinct SLA
 * of the rules, each seeing the items of its SLA and all replies.
 */
public final class UnansweredPattern implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Items whose SLA ran out without a reply. */
    public static final OutputTag<CareOutcome> OVERDUE =
            new OutputTag<>("care-overdue") {
                private static final long serialVersionUID = 1L;
            };

    private final long slaMillis;

    public UnansweredPattern(Duration sla) {
        if (sla.isNegative() || sla.isZero()) {
            throw new IllegalArgumentException("a care SLA must be positive, got " + sla);
        }
        this.slaMillis = sla.toMillis();
    }

    public Pattern<CareEvent, CareEvent> pattern() {
        return Pattern.<CareEvent>begin("item")
                .where(new IsItem(slaMillis))
                .followedBy("reply")
                .where(new IsReply())
                .within(Duration.ofMillis(slaMillis));
    }

    /** Whether an event belongs to this pattern's stream: replies and the items of its SLA. */
    public boolean accepts(CareEvent e) {
        return e.reply() || e.slaMillis() == slaMillis;
    }

    /**
     * Runs the pattern on care events keyed by brand and conversation, in event time; a
     * conversation's CEP state is dropped once it has no item waiting (answered or overdue).
     */
    public SingleOutputStreamOperator<CareOutcome> apply(KeyedStream<CareEvent, String> events) {
        return ReleasingCep.pattern(
                events, pattern(), process(), TypeInformation.of(CareOutcome.class));
    }

    public PatternProcessFunction<CareEvent, CareOutcome> process() {
        return new Outcomes();
    }

    /** A care item with this SLA. */
    static final class IsItem extends SimpleCondition<CareEvent> {
        private static final long serialVersionUID = 1L;
        private final long slaMillis;

        IsItem(long slaMillis) {
            this.slaMillis = slaMillis;
        }

        @Override
        public boolean filter(CareEvent e) {
            return !e.reply() && e.slaMillis() == slaMillis;
        }
    }

    /** A brand reply. */
    static final class IsReply extends SimpleCondition<CareEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(CareEvent e) {
            return e.reply();
        }
    }

    /** Answered in time → main output; timed out → {@link #OVERDUE}. */
    static final class Outcomes extends PatternProcessFunction<CareEvent, CareOutcome>
            implements TimedOutPartialMatchHandler<CareEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<CareEvent>> match, Context ctx, Collector<CareOutcome> out) {
            CareEvent item = match.get("item").get(0);
            CareEvent reply = match.get("reply").get(0);
            out.collect(new CareOutcome(CareOutcome.Kind.ANSWERED, item, reply.at()));
        }

        @Override
        public void processTimedOutMatch(Map<String, List<CareEvent>> match, Context ctx) {
            CareEvent item = match.get("item").get(0);
            ctx.output(OVERDUE, new CareOutcome(CareOutcome.Kind.OVERDUE, item, -1));
        }
    }
}
