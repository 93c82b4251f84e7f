package io.echolot.detect;

import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * A warm window whose count has an upper-tail probability of at most {@code maxTailProbability}, at
 * least {@code minCount} mentions and at least {@code minRatio} times the expected count.
 */
public final class SurprisingWindow extends SimpleCondition<SpikeScore> {

    private static final long serialVersionUID = 1L;

    private final double maxTailProbability;
    private final long minCount;
    private final double minRatio;

    public SurprisingWindow(double maxTailProbability, long minCount, double minRatio) {
        if (!(maxTailProbability > 0 && maxTailProbability < 1)) {
            throw new IllegalArgumentException("maxTailProbability must be in (0, 1)");
        }
        this.maxTailProbability = maxTailProbability;
        this.minCount = minCount;
        this.minRatio = minRatio;
    }

    @Override
    public boolean filter(SpikeScore s) {
        return s.warm()
                && s.keyTailProbability() <= maxTailProbability
                && s.observed() >= minCount
                && s.ratio() >= minRatio;
    }
}
