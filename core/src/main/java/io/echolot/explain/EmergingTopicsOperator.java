package io.echolot.explain;

import io.echolot.alert.AlertSignal;
import io.echolot.window.ScopedMention;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link EmergingTopics} and stores the buckets it holds in memory before each checkpoint (and
 * when the input ends), so that a checkpoint holds every mention counted before its barrier.
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

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushBuckets();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushBuckets();
        super.finish();
    }

    private void flushBuckets() throws Exception {
        Object current = getCurrentKey();
        ((EmergingTopics) userFunction).flushAll(this::setCurrentKey);
        if (current != null) {
            setCurrentKey(current);
        }
    }
}
