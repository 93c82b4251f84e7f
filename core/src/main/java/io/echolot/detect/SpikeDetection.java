package io.echolot.detect;

import io.echolot.cep.ReleasingCep;
import io.echolot.model.WindowAggregate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Viral-spike detection on window aggregates, the entry point the jobs wire in:
 *
 * <pre>
 * aggregates ─keyBy(brand, topic)─► baseline ({@link SpikeBaseline}) ─► scores
 *   scores ─keyBy─► CEP per {@link SpikePattern} (event time) ─► union ─keyBy─► {@link IncidentCooldown} ─► alerts
 * </pre>
 *
 * The input must carry event timestamps and watermarks (the window operator's output does: each
 * aggregate is stamped with its window's last millisecond). Every stateful operator has a stable
 * uid: {@link #BASELINE_UID}, {@link #CEP_UID_PREFIX} + pattern name, {@link #COOLDOWN_UID}.
 */
public final class SpikeDetection {

    public static final String BASELINE_UID = "spike-baseline";
    public static final String CEP_UID_PREFIX = "spike-cep-";
    public static final String COOLDOWN_UID = "spike-cooldown";

    /**
     * The scores of every window, the matches that open an incident ({@code alerts}) and the later
     * matches of an incident already opened ({@code continuations}).
     */
    public record Result(
            DataStream<SpikeScore> scores,
            DataStream<SpikeAlert> alerts,
            DataStream<SpikeAlert> continuations) {}

    private SpikeDetection() {}

    /** Wires the detection onto window aggregates (with timestamps and watermarks). */
    public static Result apply(DataStream<WindowAggregate> aggregates, SpikeSettings settings) {
        SingleOutputStreamOperator<SpikeScore> scores =
                aggregates
                        .keyBy(new SpikeKeys.OfAggregate())
                        .process(
                                new SpikeBaseline(settings.baseline()),
                                TypeInformation.of(SpikeScore.class))
                        .uid(BASELINE_UID)
                        .name("spike-baseline");
        KeyedStream<SpikeScore, String> keyed = scores.keyBy(new SpikeKeys.OfScore());
        DataStream<SpikeAlert> matches = null;
        for (SpikePattern p : settings.patterns()) {
            SingleOutputStreamOperator<SpikeAlert> m =
                    ReleasingCep.pattern(
                                    keyed,
                                    p.pattern(),
                                    p.process(),
                                    TypeInformation.of(SpikeAlert.class))
                            .uid(CEP_UID_PREFIX + p.name())
                            .name("spike-" + p.name());
            matches = matches == null ? m : matches.union(m);
        }
        SingleOutputStreamOperator<SpikeAlert> alerts =
                matches.keyBy(new SpikeKeys.OfAlert())
                        .process(
                                new IncidentCooldown(settings.cooldown()),
                                TypeInformation.of(SpikeAlert.class))
                        .uid(COOLDOWN_UID)
                        .name("spike-cooldown");
        return new Result(scores, alerts, alerts.getSideOutput(IncidentCooldown.CONTINUATIONS));
    }
}
