package io.echolot.window;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes records, watermarks and watermark statuses on, and after a restore first sends what its
 * output had announced at the checkpoint (the watermark, and whether it was idle), so the job's
 * event time resumes where it stood instead of at its very beginning.
 *
 * <p>Why: Flink keeps timers and state in a checkpoint but not the watermark; after a restart every
 * operator starts from none and the source sends its first one only once every partition has
 * delivered again. Until then the replayed input would meet windows and detectors that take any
 * record as on time: a mention that the first attempt sent to the late topic (ten minutes late,
 * say) would bring back a window that had already fired and been purged, and that window of one
 * mention would move the key's baselines. The replay would then decide differently from the first
 * attempt, near a threshold, and an alert of the lost attempt (already at the webhooks) would never
 * be followed up. Resuming at the restored watermark makes the replay judge lateness as the first
 * attempt did: every record read after the checkpoint met at least that watermark then.
 *
 * <p>Put it right after the source, chained to it, so that every path below starts from it. Each
 * subtask keeps its own output's watermark (the operators below combine the subtasks themselves, as
 * they did before); it sends it as soon as the task runs, without waiting for a record, so a
 * subtask whose partitions stay quiet after the restart does not hold event time at its beginning.
 * A subtask that was idle sends its watermark and marks itself idle again until its source sends
 * something. After rescaling a subtask may hold the entries of several or of none: it resumes from
 * the lowest active one (idle ones only when all are idle), or not at all. Only watermarks above
 * the highest one passed on go further: the source's first watermarks after a restore come from
 * replayed records and lie below it. The end of event time (a drained stop) is never kept.
 *
 * <p>Not covered: with unaligned checkpoints, records restored from the checkpoint's in-flight
 * buffers reach the operators below before this watermark does.
 *
 * @param <T> the records passed on
 */
public final class ResumeEventTime<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    static final String STATE = "resume-event-time";

    /** Per subtask: the watermark announced and whether the output was idle. */
    private transient ListState<Tuple2<Long, Boolean>> state;

    private transient long forwarded;
    private transient boolean announcedIdle;
    private transient boolean sourceIdle;

    /** What to send first after a restore, until it is sent. */
    private transient boolean pending;

    private transient long resumeAt;
    private transient boolean resumeIdle;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE, Types.TUPLE(Types.LONG, Types.BOOLEAN)));
        forwarded = Long.MIN_VALUE;
        announcedIdle = false;
        sourceIdle = false;
        pending = false;
        if (!context.isRestored()) {
            return;
        }
        long lowestActive = Long.MAX_VALUE;
        long lowestIdle = Long.MAX_VALUE;
        for (Tuple2<Long, Boolean> entry : state.get()) {
            if (entry.f1) {
                lowestIdle = Math.min(lowestIdle, entry.f0);
            } else {
                lowestActive = Math.min(lowestActive, entry.f0);
            }
        }
        if (lowestActive < Long.MAX_VALUE) {
            pending = true;
            resumeAt = lowestActive;
            resumeIdle = false;
        } else if (lowestIdle < Long.MAX_VALUE) {
            pending = true;
            resumeAt = lowestIdle;
            resumeIdle = true;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (pending) {
            // as soon as the task runs (a timer fires in the task's thread, after every open)
            getProcessingTimeService()
                    .registerTimer(
                            getProcessingTimeService().getCurrentProcessingTime(),
                            timestamp -> resume());
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.clear();
        long mark = pending ? resumeAt : forwarded;
        boolean idle = pending ? resumeIdle : announcedIdle;
        // nothing announced yet holds nothing back; the end of event time must not outlive a stop
        if (mark > Long.MIN_VALUE && mark < Long.MAX_VALUE) {
            state.add(Tuple2.of(mark, idle));
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        resume();
        announceActive();
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        resume();
        if (mark.getTimestamp() > forwarded) {
            announceActive();
            forwarded = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        resume();
        sourceIdle = status.isIdle();
        if (status.isIdle() != announcedIdle) {
            announcedIdle = status.isIdle();
            super.processWatermarkStatus(status);
        }
    }

    /** Sends what was restored, once. */
    private void resume() {
        if (!pending) {
            return;
        }
        pending = false;
        if (resumeAt > forwarded) {
            forwarded = resumeAt;
            output.emitWatermark(new Watermark(resumeAt));
        }
        if (resumeIdle && !announcedIdle) {
            announcedIdle = true;
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        }
    }

    /**
     * Before a record or watermark of a source that never announced idleness: an output restored as
     * idle is active again (Flink drops a watermark sent while the output is idle).
     */
    private void announceActive() {
        if (announcedIdle && !sourceIdle) {
            announcedIdle = false;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
    }
}
