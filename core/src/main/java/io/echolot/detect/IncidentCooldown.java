package io.echolot.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One incident, one alert: per (brand, topic), a match opens an alert only if no match of any
 * pattern was detected in the cooldown before it; every match extends the quiet period. The matches
 * in the quiet period go to the {@link #CONTINUATIONS} side output: they are the same incident
 * going on, evidence for updates of its alert, never a new one. Matches of different patterns
 * arrive in any order, so they wait for the watermark and are decided in event-time order
 * (detection window, then incident start, then trigger), which makes the output deterministic.
 * State and timers are gone once the quiet period has passed.
 */
public final class IncidentCooldown extends KeyedProcessFunction<String, SpikeAlert, SpikeAlert> {

    private static final long serialVersionUID = 1L;
    private static final Comparator<SpikeAlert> ORDER =
            Comparator.comparing(SpikeAlert::windowEnd)
                    .thenComparing(SpikeAlert::incidentStart)
                    .thenComparing(SpikeAlert::trigger);

    /** Matches within an incident's quiet period: the incident goes on. */
    public static final OutputTag<SpikeAlert> CONTINUATIONS =
            new OutputTag<>("spike-continuations", TypeInformation.of(SpikeAlert.class));

    private final long cooldown;
    private transient ListState<SpikeAlert> pending;
    private transient ValueState<Long> quietUntil;

    public IncidentCooldown(Duration cooldown) {
        this.cooldown = cooldown.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "spike-pending", TypeInformation.of(SpikeAlert.class)));
        quietUntil =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("spike-quiet-until", Types.LONG));
    }

    @Override
    public void processElement(SpikeAlert alert, Context ctx, Collector<SpikeAlert> out)
            throws Exception {
        pending.add(alert);
        ctx.timerService().registerEventTimeTimer(detectedAt(alert));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SpikeAlert> out)
            throws Exception {
        List<SpikeAlert> due = new ArrayList<>();
        List<SpikeAlert> later = new ArrayList<>();
        for (SpikeAlert a : pending.get()) {
            (detectedAt(a) <= timestamp ? due : later).add(a);
        }
        Long quiet = quietUntil.value();
        if (!due.isEmpty()) {
            due.sort(ORDER);
            for (SpikeAlert a : due) {
                if (quiet == null || a.windowStart().toEpochMilli() >= quiet) {
                    out.collect(a);
                } else {
                    ctx.output(CONTINUATIONS, a);
                }
                long until = a.windowEnd().toEpochMilli() + cooldown;
                quiet = quiet == null ? until : Math.max(quiet, until);
            }
            ctx.timerService().registerEventTimeTimer(quiet);
        }
        if (later.isEmpty()) {
            pending.clear();
        } else {
            pending.update(later);
        }
        if (quiet != null && timestamp >= quiet) {
            quietUntil.clear();
        } else {
            quietUntil.update(quiet);
        }
    }

    /** The event time at which a match is known: the end of its detection window, inclusive. */
    static long detectedAt(SpikeAlert alert) {
        return alert.windowEnd().toEpochMilli() - 1;
    }
}
