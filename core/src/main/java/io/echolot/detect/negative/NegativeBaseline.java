package io.echolot.detect.negative;

/**
 * The per-key state of {@link NegativeShareBaseline}: an exponentially weighted share of negative
 * mentions and how many windows it rests on. A Flink POJO; two numbers per key.
 */
public class NegativeBaseline {
    public double share;
    public double weight;
    public long lastWindowEnd;

    public NegativeBaseline() {}
}
