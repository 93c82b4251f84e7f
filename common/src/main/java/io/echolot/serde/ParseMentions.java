package io.echolot.serde;

import io.echolot.kafka.DeadLetter;
import io.echolot.kafka.RawRecord;
import io.echolot.model.Mention;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and validates raw Kafka records into mentions. Anything malformed goes to the {@link
 * #DEAD_LETTERS} side output with the reason and the original bytes; the job keeps running.
 * Metrics: {@code mentionsParsed}, {@code mentionsDeadLettered}.
 */
public class ParseMentions extends ProcessFunction<RawRecord, Mention> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    private final int maxBytes;
    private final Duration maxFuture;
    private final Clock clock;

    private transient MentionParser parser;
    private transient Counter parsed;
    private transient Counter deadLettered;

    /**
     * @param clock serializable clock for the future-timestamp check ({@code Clock.systemUTC()} in
     *     production, a fixed clock in tests)
     */
    public ParseMentions(int maxBytes, Duration maxFuture, Clock clock) {
        this.maxBytes = maxBytes;
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new MentionParser(maxBytes, maxFuture, clock);
        parsed = getRuntimeContext().getMetricGroup().counter("mentionsParsed");
        deadLettered = getRuntimeContext().getMetricGroup().counter("mentionsDeadLettered");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Mention> out) {
        MentionParser.Result result = parser.parse(record.value());
        if (result.ok()) {
            parsed.inc();
            out.collect(result.mention());
        } else {
            deadLettered.inc();
            ctx.output(
                    DEAD_LETTERS, new DeadLetter(record, DeadLetter.STAGE_PARSE, result.error()));
        }
    }
}
