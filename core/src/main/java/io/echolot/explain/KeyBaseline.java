package io.echolot.explain;

/**
 * The running baseline of one (brand, topic), fixed in size whatever the vocabulary: a count-min
 * sketch of feature counts and the mention count, both decayed every folded window (older windows
 * weigh less), and two rotating Bloom filters of the authors seen. A Flink POJO.
 */
public class KeyBaseline {
    /** {@link Features#DEPTH} rows of {@link Features#WIDTH} decayed counts. */
    public float[] sketch = new float[Features.DEPTH * Features.WIDTH];

    /** Decayed mentions. */
    public double mentions;

    /** Windows folded in. */
    public long windows;

    /** Bloom filters of author hashes: the current one and the one before it. */
    public long[] authors = new long[Features.BLOOM_WORDS];

    public long[] previousAuthors = new long[Features.BLOOM_WORDS];

    /** Authors put into {@link #authors} since it was started. */
    public int authorsAdded;

    /** Event time of the last folded window. */
    public long lastFold;

    public KeyBaseline() {}
}
