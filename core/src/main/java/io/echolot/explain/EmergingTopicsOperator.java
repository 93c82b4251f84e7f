package io.echolot.explain;

import io.echolot.alert.AlertSignal;
import io.echolot.state.WritesBack;
import io.echolot.window.ScopedMention;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link EmergingTopics} and stores the buckets it holds in memory when each checkpoint is
 * taken (and when the input ends), so that a checkpoint holds every mention counted before its
 * barrier.
 */
public final class EmergingTopicsOperator
        extends KeyedProcessOperator<String, ScopedMention, AlertSignal> {

    private static final long serialVersionUID = 1L;

    /**
     * @param function the emerging topics' function
     */
    public EmergingTopicsOperator(EmergingTopics function) {
        super(function);
    }

    // after the barrier went on and before the keyed state is snapshotted: the barrier does not
    // wait for the flush
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        WritesBack.flush(this, (EmergingTopics) userFunction);
        super.snapshotState(context);
    }

    @Override
    public void finish() throws Exception {
        WritesBack.flush(this, (EmergingTopics) userFunction);
        super.finish();
    }
}
