package io.echolot.detect;

import java.time.Duration;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * {@code windows} strongly {@link SurprisingWindow surprising} windows of one key within {@code
 * within} (event time), not necessarily adjacent: a story that comes in waves (a post, then its
 * reshares, then the follow-up coverage) is seldom one extreme window, but a calibrated key sees a
 * window with tail 1e-5 only about once a month at 5-minute windows, so several within hours are as
 * unlikely under the baseline as one extreme window. Relaxed contiguity between the windows, no
 * overlapping matches ({@code skipPastLastEvent}).
 */
public record RepeatedWindowsPattern(
        int windows, double maxTailProbability, long minCount, double minRatio, Duration within)
        implements SpikePattern {

    public static final String NAME = "repeated-windows";

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
        return Pattern.<SpikeScore>begin("repeated", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new SurprisingWindow(maxTailProbability, minCount, minRatio))
                .times(windows)
                .within(within);
    }
}
