package io.echolot.detect.negative;

import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.alert.Evidence;
import io.echolot.alert.Severity;
import io.echolot.cep.ReleasingCep;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The CEP pattern of a negative-sentiment burst: {@code windows} consecutive windows of one (brand,
 * topic), all within {@code within}, each with at least {@code minNegatives} negative mentions and
 * a negative share at least {@code minLift} times and {@code minZ} standard deviations above the
 * key's own baseline. Matches never overlap (skip past the last event); the alert lifecycle merges
 * consecutive matches into one incident.
 */
public final class NegativeBurstPattern implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long minNegatives;
    private final double minLift;
    private final double minZ;
    private final int windows;
    private final Duration within;
    private final int warmupWindows;

    /**
     * @param warmupWindows a key needs a baseline of this many windows before it can burst, so a
     *     new brand whose usual tone is simply more negative than the prior does not alert at once
     */
    public NegativeBurstPattern(
            long minNegatives,
            double minLift,
            double minZ,
            int windows,
            Duration within,
            int warmupWindows) {
        if (minNegatives < 1
                || minLift < 1
                || minZ <= 0
                || windows < 1
                || within.isNegative()
                || within.isZero()) {
            throw new IllegalArgumentException(
                    "negative burst thresholds must be: min negatives >= 1, lift >= 1, z > 0, windows >= 1, time bound > 0");
        }
        this.minNegatives = minNegatives;
        this.minLift = minLift;
        this.minZ = minZ;
        this.windows = windows;
        this.within = within;
        this.warmupWindows = warmupWindows;
    }

    public Pattern<NegativeScore, NegativeScore> pattern() {
        Pattern<NegativeScore, NegativeScore> p =
                Pattern.<NegativeScore>begin("burst", AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(new IsBurst(minNegatives, minLift, minZ, warmupWindows));
        if (windows > 1) {
            p = p.times(windows).consecutive();
        }
        return p.within(within);
    }

    /**
     * Runs the pattern on scores keyed by (brand, topic), in event time; a key's CEP state is
     * dropped once it has nothing left to match.
     */
    public SingleOutputStreamOperator<AlertSignal> apply(KeyedStream<NegativeScore, ?> scores) {
        return ReleasingCep.pattern(
                scores, pattern(), process(), TypeInformation.of(AlertSignal.class));
    }

    public PatternProcessFunction<NegativeScore, AlertSignal> process() {
        return new ToSignal();
    }

    /** One window that looks like a burst. */
    static final class IsBurst extends SimpleCondition<NegativeScore> {
        private static final long serialVersionUID = 1L;
        private final long minNegatives;
        private final double minLift;
        private final double minZ;
        private final int warmupWindows;

        IsBurst(long minNegatives, double minLift, double minZ, int warmupWindows) {
            this.minNegatives = minNegatives;
            this.minLift = minLift;
            this.minZ = minZ;
            this.warmupWindows = warmupWindows;
        }

        @Override
        public boolean filter(NegativeScore s) {
            return s.history() >= warmupWindows
                    && s.negatives() >= minNegatives
                    && s.lift() >= minLift
                    && s.z() >= minZ;
        }
    }

    /** The last window of a match is the evidence; its z-score becomes a score in [0, 1). */
    static final class ToSignal extends PatternProcessFunction<NegativeScore, AlertSignal> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<NegativeScore>> match, Context ctx, Collector<AlertSignal> out) {
            List<NegativeScore> burst = match.get("burst");
            NegativeScore last = burst.get(burst.size() - 1);
            double expected = last.expectedNegatives();
            out.collect(
                    AlertSignal.builder()
                            .type(AlertType.NEGATIVE_BURST)
                            .brand(last.brand())
                            .topic(last.topic())
                            .severity(Severity.of(last.negatives(), expected))
                            .evidence(
                                    Evidence.of(
                                                    burst.get(0).windowStart(),
                                                    last.windowEnd(),
                                                    last.negatives(),
                                                    expected,
                                                    1 - Math.exp(-Math.max(0, last.z()) / 3))
                                            .withMentions(last.topMentions(), last.platforms()))
                            .build());
        }
    }
}
