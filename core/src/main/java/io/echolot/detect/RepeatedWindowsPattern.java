package io.echolot.detect;

import java.time.Duration;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * {@code windows} strongly {@link SurprisingWindow surprising} windows of one key within {@code
 * within} (event time), not necessarily adjacent: a story that comes in waves (a post, then its
 * reshares, then the follow-up coverage) is seldom one extreme window, but a calibrated key sees a
 * window with tail 1e-5 only about once a month at 5-minute windows, so several within hours are as
 * unlikely under the baseline as one extreme window. On a quiet key, where no window can reach the
 * floors ({@code expected · minRatio < minCount}), a window also counts through its hour's or six
 * hours' running sum (its waves are a few mentions each); such a window must lie in another block
 * of that resolution than the window before it in the match, so one surprising hour is one wave
 * however many of its windows keep its running sum surprising. Relaxed contiguity between the
 * windows, no overlapping matches ({@code skipPastLastEvent}).
 */
public record RepeatedWindowsPattern(
        int windows, double maxTailProbability, long minCount, double minRatio, Duration within)
        implements SpikePattern {

    public static final String NAME = "repeated-windows";
    static final String STEP = "repeated";

    public RepeatedWindowsPattern {
        if (windows < 2) {
            throw new IllegalArgumentException("windows must be at least 2");
        }
        if (within == null || within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("within must be positive");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Pattern<SpikeScore, ?> pattern() {
        return Pattern.<SpikeScore>begin(STEP, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new AnotherWave(maxTailProbability, minCount, minRatio))
                .times(windows)
                .within(within);
    }

    /**
     * Surprising on its own; or, on a quiet key, through its coarse sum and in another coarse block
     * than the previous window of the match.
     */
    static final class AnotherWave extends IterativeCondition<SpikeScore> {
        private static final long serialVersionUID = 1L;
        private final SurprisingWindow window;
        private final SurprisingWindow coarse;
        private final long minCount;
        private final double minRatio;

        AnotherWave(double maxTailProbability, long minCount, double minRatio) {
            this.window = new SurprisingWindow(maxTailProbability, minCount, minRatio);
            this.coarse = new SurprisingWindow(maxTailProbability, minCount, minRatio, true);
            this.minCount = minCount;
            this.minRatio = minRatio;
        }

        @Override
        public boolean filter(SpikeScore value, Context<SpikeScore> ctx) throws Exception {
            if (window.filter(value)) {
                return true;
            }
            if (!quiet(value) || !coarse.filter(value)) {
                return false;
            }
            SpikeScore last = null;
            for (SpikeScore s : ctx.getEventsForPattern(STEP)) {
                last = s;
            }
            return last == null || !sameBlock(last, value);
        }

        /** No window of the key can reach the floors at its expected count. */
        boolean quiet(SpikeScore s) {
            return s.expected() * minRatio < minCount;
        }

        /**
         * Whether both windows start in one block of the resolution that made {@code value}
         * surprising.
         */
        static boolean sameBlock(SpikeScore earlier, SpikeScore value) {
            long block = Math.max(1, value.sumMillis());
            return Math.floorDiv(earlier.windowStart().toEpochMilli(), block)
                    == Math.floorDiv(value.windowStart().toEpochMilli(), block);
        }
    }
}
