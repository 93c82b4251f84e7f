package io.echolot.ingest;

import io.echolot.deadletter.DeadLetter;
import io.echolot.model.Mention;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes mentions on and sends dead letters to the {@link #DEAD_LETTERS} side output. */
public class SplitDeadLetters extends ProcessFunction<ParsedRecord, Mention> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<Mention> out) {
        if (record.mention() != null) {
            out.collect(record.mention());
        } else {
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }
}
