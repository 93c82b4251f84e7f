package io.echolot.window;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes records, watermarks and watermark statuses on, and after a restore sends the watermark it
 * had passed on at the checkpoint before anything else, so the job's event time resumes where it
 * stood instead of at its very beginning.
 *
 * <p>Why: Flink keeps timers and state in a checkpoint but not the watermark; after a restart every
 * operator starts from none and the source sends its first one only once every partition has
 * delivered again. Until then the replayed input would meet windows and detectors that take any
 * record as on time: a mention that the first attempt sent to the late topic (ten minutes late,
 * say) would bring back a window that had already fired and been purged, and that window of one
 * mention would move the key's baselines. The replay would then decide differently from the first
 * attempt, near a threshold, and an alert of the lost attempt (already at the webhooks) would never
 * be followed up. Sending the restored watermark first makes the replay judge lateness as the first
 * attempt did: every record read after the checkpoint met at least that watermark then.
 *
 * <p>Put it right after the source, chained to it, so that every path below starts from it. Each
 * subtask resumes from the lowest watermark of all subtasks that had one (after rescaling a subtask
 * may read partitions that were behind; the lowest is what the operators below had reached). Only
 * watermarks above the highest one passed on go further: the source's first watermarks after a
 * restore come from replayed records and lie below it.
 *
 * @param <T> the records passed on
 */
public final class ResumeEventTime<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    static final String STATE = "resume-event-time-watermark";

    private transient ListState<Long> state;
    private transient long forwarded;
    private transient long restored;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(STATE, LongSerializer.INSTANCE));
        forwarded = Long.MIN_VALUE;
        restored = Long.MIN_VALUE;
        if (context.isRestored()) {
            long lowest = Long.MAX_VALUE;
            boolean any = false;
            for (Long w : state.get()) {
                lowest = Math.min(lowest, w);
                any = true;
            }
            if (any) {
                restored = lowest;
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.clear();
        // not yet passed on after a restore, but still where event time stood
        long mark = Math.max(forwarded, restored);
        // a subtask without a watermark (no partition, or idle since its start) held nothing
        // back downstream: it must not hold the others back after a restore either
        if (mark > Long.MIN_VALUE) {
            state.add(mark);
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        resume();
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        resume();
        if (mark.getTimestamp() > forwarded) {
            forwarded = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }

    /** Sends the restored watermark once, before the first record or watermark after a restore. */
    private void resume() {
        if (restored > forwarded) {
            forwarded = restored;
            output.emitWatermark(new Watermark(restored));
        }
        restored = Long.MIN_VALUE;
    }
}
