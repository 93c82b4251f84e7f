package io.echolot.explain;

import io.echolot.alert.AlertSignal;
import io.echolot.state.WritesBack;
import io.echolot.window.ScopedMention;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs {@link ExplainSignals} so that its event time never moves ahead of the signals input.
 *
 * <p>Why: both inputs come from the same source, the mentions in one hop and the signals through
 * the windows, the baselines and CEP. When the source was idle (at start-up, or after a quiet
 * spell) and resumes, the mentions input turns active first; Flink's two-input operator ignores an
 * input marked idle, so it would move event time on the mentions' watermark alone and forward it,
 * and a signal computed from that same watermark would then arrive behind it: explained without its
 * window's last mentions and, further on, an alert whose resolve time already lies behind the
 * lifecycle's event time. So an idle signals input is not taken as idle here: its last watermark
 * keeps holding event time back until the signals path forwards a newer one. That cannot stall:
 * every path forwards the source's watermarks, and a valve marks its input idle only after
 * forwarding the highest watermark of its channels.
 */
public final class ExplainSignalsOperator
        extends KeyedCoProcessOperator<String, ScopedMention, AlertSignal, AlertSignal> {

    private static final long serialVersionUID = 1L;

    private static final int SIGNALS_INPUT = 1;

    /**
     * @param function the drivers' function
     */
    public ExplainSignalsOperator(ExplainSignals function) {
        super(function);
    }

    // after the barrier went on and before the keyed state is snapshotted: the barrier does not
    // wait for the flush
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        WritesBack.flush(this, (ExplainSignals) userFunction);
        super.snapshotState(context);
    }

    @Override
    public void finish() throws Exception {
        WritesBack.flush(this, (ExplainSignals) userFunction);
        super.finish();
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == SIGNALS_INPUT && status.isIdle()) {
            return;
        }
        super.processWatermarkStatus(status, index);
    }
}
