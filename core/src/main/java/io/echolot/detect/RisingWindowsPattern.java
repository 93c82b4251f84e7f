package io.echolot.detect;

import java.time.Duration;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * {@code windows} adjacent windows, each a {@link SurprisingWindow} and none lower than the one
 * before, all within {@code within} (event time). Strict contiguity ({@code consecutive()}), no
 * overlapping matches ({@code skipPastLastEvent}).
 */
public record RisingWindowsPattern(
        int windows, double maxTailProbability, long minCount, double minRatio, Duration within)
        implements SpikePattern {

    public static final String NAME = "rising-windows";
    static final String STEP = "rising";

    public RisingWindowsPattern {
        if (windows < 2) {
            throw new IllegalArgumentException("windows must be at least 2");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Pattern<SpikeScore, ?> pattern() {
        return Pattern.<SpikeScore>begin(STEP, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new Rising(new SurprisingWindow(maxTailProbability, minCount, minRatio)))
                .times(windows)
                .consecutive()
                .within(within);
    }

    /** Surprising, adjacent to and not lower than the previous window of the match. */
    static final class Rising extends IterativeCondition<SpikeScore> {
        private static final long serialVersionUID = 1L;
        private final SurprisingWindow surprising;

        Rising(SurprisingWindow surprising) {
            this.surprising = surprising;
        }

        @Override
        public boolean filter(SpikeScore value, Context<SpikeScore> ctx) throws Exception {
            if (!surprising.filter(value)) {
                return false;
            }
            SpikeScore last = null;
            for (SpikeScore s : ctx.getEventsForPattern(STEP)) {
                last = s;
            }
            return last == null
                    || (last.windowEnd().equals(value.windowStart())
                            && value.observed() >= last.observed());
        }
    }
}
