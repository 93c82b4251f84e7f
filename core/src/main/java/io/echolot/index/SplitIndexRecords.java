package io.echolot.index;

import io.echolot.deadletter.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes the document writes on and sends unreadable index records to {@link #DEAD_LETTERS}. */
public class SplitIndexRecords extends ProcessFunction<IndexRecord, IndexRecord> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("index-dead-letters") {};

    @Override
    public void processElement(IndexRecord record, Context ctx, Collector<IndexRecord> out) {
        if (record.isRequest()) {
            out.collect(record);
        } else {
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }
}
