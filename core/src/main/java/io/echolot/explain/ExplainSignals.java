package io.echolot.explain;

import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.model.Mention;
import io.echolot.model.SentimentLabel;
import io.echolot.state.MapStateWriteBack;
import io.echolot.state.WritesBack;
import io.echolot.window.ScopedMention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Attaches {@link AlertDrivers} to the viral-spike and negative-burst signals of a (brand, topic);
 * other signals pass unchanged. Keyed by {@link ScopedMention#key()}: the first input is the scoped
 * mentions, whose features are counted per event-time window ({@link WindowEvidence}); the second
 * is the signals, explained by the windows they cover against the key's running baseline. A window
 * stays {@code retainedWindows} after its allowed lateness, long enough for the detectors (which
 * see it only once it closed) to signal about it, and is then folded into the baseline.
 *
 * <p>A signal is explained once this operator's watermark has passed the end of its window: Flink
 * does not order the two inputs, so a signal can overtake the last mentions of its window, which
 * are certain to have arrived only then. Until that moment it waits in state. Run it in {@link
 * ExplainSignalsOperator}, whose event time also waits for the signals input while that is marked
 * idle, so no signal arrives behind the watermark it was computed from.
 *
 * <p>The windows being written stay in memory, for at most {@link #CACHED_KEYS} keys, and are
 * stored when each checkpoint is taken ({@link MapStateWriteBack}): on RocksDB, reading and writing
 * a window's whole evidence for every mention cost more than everything else the mention needs.
 *
 * <p>State per key is bounded: a few windows of bounded evidence, one fixed-size {@link
 * KeyBaseline}; a key without mentions for {@code idleTimeout} is cleared. Metrics: {@code
 * alertsExplained}, {@code mentionsNotExplained} (mentions whose features could not be read; should
 * stay 0).
 */
public class ExplainSignals
        extends KeyedCoProcessFunction<String, ScopedMention, AlertSignal, AlertSignal>
        implements WritesBack {

    private static final long serialVersionUID = 1L;

    /** Keys whose current windows stay in memory between checkpoints ({@link #flushAll}). */
    static final int CACHED_KEYS = 1_024;

    private final long windowMillis;
    private final long keepMillis;
    private final long idleMillis;
    private final double decay;

    private transient MapState<Long, WindowEvidence> windows;
    private transient MapStateWriteBack<Long, WindowEvidence> written;
    private transient ValueState<KeyBaseline> baseline;
    private transient ValueState<Long> idleTimer;
    private transient ListState<AlertSignal> pending;
    private transient Counter explained;
    private transient Counter notExplained;

    /**
     * @param windowSize the detectors' window size (the evidence is kept per such window)
     * @param allowedLateness the windows' allowed lateness
     * @param retainedWindows windows kept after their lateness, for signals about them to arrive
     * @param baselineWindows the baseline's memory: each folded window decays it by 1 - 1/this
     * @param idleTimeout a key without mentions this long (event time) is forgotten
     */
    public ExplainSignals(
            Duration windowSize,
            Duration allowedLateness,
            int retainedWindows,
            int baselineWindows,
            Duration idleTimeout) {
        if (windowSize.isNegative() || windowSize.isZero() || retainedWindows < 1) {
            throw new IllegalArgumentException("window size and retained windows must be positive");
        }
        if (baselineWindows < 2) {
            throw new IllegalArgumentException("baseline windows must be >= 2");
        }
        this.windowMillis = windowSize.toMillis();
        this.keepMillis = allowedLateness.toMillis() + retainedWindows * windowMillis;
        this.idleMillis = Math.max(idleTimeout.toMillis(), keepMillis + windowMillis);
        this.decay = 1.0 - 1.0 / baselineWindows;
    }

    @Override
    public void open(OpenContext openContext) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "explain-windows",
                                        Types.LONG,
                                        TypeInformation.of(WindowEvidence.class)));
        written = new MapStateWriteBack<>(windows, CACHED_KEYS);
        baseline =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("explain-baseline", KeyBaseline.class));
        idleTimer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("explain-idle-timer", Long.class));
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>("explain-pending", AlertSignal.class));
        explained = getRuntimeContext().getMetricGroup().counter("alertsExplained");
        notExplained = getRuntimeContext().getMetricGroup().counter("mentionsNotExplained");
    }

    @Override
    public void processElement1(ScopedMention s, Context ctx, Collector<AlertSignal> out)
            throws Exception {
        Mention m = s.mention();
        long t = m.eventTimeMillis();
        long start = t - Math.floorMod(t, windowMillis);
        long foldAt = start + windowMillis + keepMillis;
        if (foldAt <= ctx.timerService().currentWatermark()) {
            return; // its window was folded already: the aggregates counted it late or not at all
        }
        Object key = ctx.getCurrentKey();
        WindowEvidence e = written.get(key, start);
        if (e == null) {
            e = new WindowEvidence();
            e.start = start;
            ctx.timerService().registerEventTimeTimer(foldAt);
        }
        boolean negative =
                m.sentiment() != null
                        && SentimentLabel.of(m.sentiment()) == SentimentLabel.NEGATIVE;
        try {
            Features.add(e, m, negative);
        } catch (RuntimeException badInput) {
            // a post nothing foresaw costs its share of the evidence, never the job: the mention
            // itself is indexed and counted in the windows elsewhere
            notExplained.inc();
            return;
        }
        written.put(key, start, e);
        Long idle = idleTimer.value();
        long nextIdle = foldAt + idleMillis;
        if (idle == null || idle < nextIdle) {
            if (idle != null) {
                ctx.timerService().deleteEventTimeTimer(idle);
            }
            ctx.timerService().registerEventTimeTimer(nextIdle);
            idleTimer.update(nextIdle);
        }
    }

    @Override
    public void processElement2(AlertSignal s, Context ctx, Collector<AlertSignal> out)
            throws Exception {
        if (s.type() != AlertType.VIRAL_SPIKE && s.type() != AlertType.NEGATIVE_BURST) {
            out.collect(s);
            return;
        }
        long due = s.windowEnd().toEpochMilli() - 1;
        if (due > ctx.timerService().currentWatermark()) {
            pending.add(s);
            ctx.timerService().registerEventTimeTimer(due);
            return;
        }
        written.flush(ctx.getCurrentKey());
        out.collect(explain(s));
    }

    /**
     * Stores the windows held in memory for every key, when a checkpoint is taken: {@link
     * ExplainSignalsOperator} calls it with its own key setter.
     */
    @Override
    public void flushAll(Consumer<Object> setCurrentKey) throws Exception {
        written.flushAll(setCurrentKey);
    }

    /** The signal with the drivers of the windows it covers. */
    private AlertSignal explain(AlertSignal s) throws Exception {
        long from = s.windowStart().toEpochMilli();
        long to = s.windowEnd().toEpochMilli();
        WindowEvidence covered = new WindowEvidence();
        List<WindowEvidence> before = new ArrayList<>();
        for (Map.Entry<Long, WindowEvidence> w : windows.entries()) {
            if (w.getKey() >= from && w.getKey() + windowMillis <= to) {
                Features.merge(covered, w.getValue());
            } else if (w.getKey() + windowMillis <= from) {
                before.add(w.getValue());
            }
        }
        // windows before the alert's that are not folded yet belong to its baseline too: after a
        // backlog was read faster than event time advanced, they may be all of it
        KeyBaseline b = baseline.value();
        if (!before.isEmpty()) {
            b = b == null ? new KeyBaseline() : Features.copy(b);
            before.sort((x, y) -> Long.compare(x.start, y.start));
            for (WindowEvidence w : before) {
                Features.fold(b, w, decay, w.start + windowMillis);
            }
        }
        explained.inc();
        return s.withDrivers(Features.explain(covered, b, s.type() == AlertType.NEGATIVE_BURST));
    }

    /** Explains the waiting signals whose windows the watermark has passed, in window order. */
    private void explainDue(long watermark, Collector<AlertSignal> out) throws Exception {
        List<AlertSignal> due = new ArrayList<>();
        List<AlertSignal> waiting = new ArrayList<>();
        Iterable<AlertSignal> all = pending.get();
        if (all == null) {
            return;
        }
        for (AlertSignal s : all) {
            (s.windowEnd().toEpochMilli() - 1 <= watermark ? due : waiting).add(s);
        }
        if (due.isEmpty()) {
            return;
        }
        pending.update(waiting);
        due.sort((x, y) -> x.windowEnd().compareTo(y.windowEnd()));
        for (AlertSignal s : due) {
            out.collect(explain(s));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertSignal> out)
            throws Exception {
        written.flush(ctx.getCurrentKey());
        explainDue(timestamp, out);
        Long idle = idleTimer.value();
        if (idle != null && idle == timestamp) {
            windows.clear();
            baseline.clear();
            idleTimer.clear();
            return;
        }
        List<Long> due = new ArrayList<>();
        for (Long start : windows.keys()) {
            if (start + windowMillis + keepMillis <= timestamp) {
                due.add(start);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(Long::compare);
        KeyBaseline b = baseline.value();
        if (b == null) {
            b = new KeyBaseline();
        }
        for (Long start : due) {
            Features.fold(b, windows.get(start), decay, timestamp);
            windows.remove(start);
        }
        baseline.update(b);
    }
}
