package io.echolot.detect;

import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * A warm window whose count has an upper-tail probability of at most {@code maxTailProbability}, at
 * least {@code minCount} mentions and at least {@code minRatio} times the expected count; with
 * {@code coarse}, also a window whose coarse running sum ({@link SpikeScore#sumTailProbability})
 * meets the same three conditions.
 */
public final class SurprisingWindow extends SimpleCondition<SpikeScore> {

    private static final long serialVersionUID = 1L;

    private final double maxTailProbability;
    private final long minCount;
    private final double minRatio;
    private final boolean coarse;

    public SurprisingWindow(double maxTailProbability, long minCount, double minRatio) {
        this(maxTailProbability, minCount, minRatio, false);
    }

    public SurprisingWindow(
            double maxTailProbability, long minCount, double minRatio, boolean coarse) {
        if (!(maxTailProbability > 0 && maxTailProbability < 1)) {
            throw new IllegalArgumentException("maxTailProbability must be in (0, 1)");
        }
        this.maxTailProbability = maxTailProbability;
        this.minCount = minCount;
        this.minRatio = minRatio;
        this.coarse = coarse;
    }

    @Override
    public boolean filter(SpikeScore s) {
        if (!s.warm()) {
            return false;
        }
        boolean window =
                s.keyTailProbability() <= maxTailProbability
                        && s.observed() >= minCount
                        && s.ratio() >= minRatio;
        return window
                || (coarse
                        && s.sumTailProbability() <= maxTailProbability
                        && s.sumObserved() >= minCount
                        && s.sumRatio() >= minRatio);
    }
}
