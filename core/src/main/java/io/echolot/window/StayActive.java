package io.echolot.window;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes records and watermarks on and never marks its output idle, so every path below it holds
 * event time back with its last watermark instead of being left out while it is marked idle.
 *
 * <p>Why: the job's paths from one source have very different lengths (the mentions reach the alert
 * drivers in one hop, the negative bursts in four, the spikes in five). When the source resumes
 * after being idle (at start-up, or after a quiet spell), a quick path turns active first; Flink
 * combines inputs and channels over the active ones only, so an operator joining a quick and a slow
 * path would move event time on the quick one alone, and the slow path's results would arrive
 * behind it. Idleness is needed only where the source's subtasks and partitions are combined (some
 * have no data): put this right after the first task that combines them. That task's input still
 * leaves idle subtasks out, and forwards the highest watermark of all its channels before it marks
 * itself idle, so every path below carries that watermark and nothing stalls.
 *
 * @param <T> the records passed on
 */
public final class StayActive<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // the output stays active: a resumed input is announced by its next watermark anyway
    }
}
