package io.echolot.detect;

import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * One window alone is extreme: a {@link SurprisingWindow} with a very small calibrated tail
 * probability, the window itself or its hour or six hours so far (a quiet key's story is spread
 * over windows that are each only a few mentions). Matches never overlap ({@code
 * skipPastLastEvent}).
 */
public record ExtremeWindowPattern(double maxTailProbability, long minCount, double minRatio)
        implements SpikePattern {

    public static final String NAME = "extreme-window";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Pattern<SpikeScore, ?> pattern() {
        return Pattern.<SpikeScore>begin("extreme", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new SurprisingWindow(maxTailProbability, minCount, minRatio, true));
    }
}
