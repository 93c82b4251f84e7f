package io.echolot.explain;

/**
 * The running baseline of one brand's terms for {@link EmergingTopics}, fixed in size whatever the
 * vocabulary: per hashed term ({@link #DEPTH} rows of {@link #WIDTH} cells) an exponentially
 * weighted mean and variance of its share of the brand's mentions per bucket, in the spirit of
 * SigniTrend. A share, not a count: a word follows its brand's day, and a quiet night must not make
 * the morning look like a rise. Colliding terms share a cell, which can only raise its mean, so a
 * term is read from its row with the smallest mean (as in a count-min sketch): a collision may hide
 * a rise, it never invents one. A Flink POJO.
 */
public class TermTrends {
    public static final int DEPTH = 2;
    public static final int WIDTH = 1024;

    /** Weighted mean share of the bucket's mentions, per cell. */
    public float[] mean = new float[DEPTH * WIDTH];

    /** Weighted variance of that share, per cell. */
    public float[] variance = new float[DEPTH * WIDTH];

    /** Weighted mean of the brand's mentions per bucket. */
    public double mentions;

    /** Buckets folded in. */
    public long buckets;

    public TermTrends() {}

    /** The cell of {@code term} in {@code row}. */
    static int cell(String term, int row) {
        int h = term.hashCode() * (row == 0 ? 0x9E3779B1 : 0x85EBCA77);
        h ^= h >>> 15;
        h *= row == 0 ? 0x2C1B3C6D : 0x297A2D39;
        h ^= h >>> 12;
        return row * WIDTH + Math.floorMod(h, WIDTH);
    }

    /** Weight of the buckets folded so far: the averages started at 0 are divided by it. */
    private double weight(double alpha) {
        return 1 - Math.pow(1 - alpha, buckets);
    }

    /** The cell of {@code term} with the smallest mean: the one least raised by collisions. */
    private int best(String term) {
        int best = cell(term, 0);
        for (int r = 1; r < DEPTH; r++) {
            int c = cell(term, r);
            if (mean[c] < mean[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The expected share of {@code term} in a bucket's mentions, corrected for the averages having
     * started at 0 (a young baseline is not "expect nothing").
     */
    double share(String term, double alpha) {
        return buckets == 0 ? 0 : mean[best(term)] / weight(alpha);
    }

    /** The variance of {@code term}'s share, from the same cell as {@link #share}. */
    double shareVariance(String term, double alpha) {
        return buckets == 0 ? 0 : variance[best(term)] / weight(alpha);
    }

    /** The brand's mentions per bucket, corrected like {@link #share}. */
    double mentionsPerBucket(double alpha) {
        return buckets == 0 ? 0 : mentions / weight(alpha);
    }

    /**
     * Folds one bucket in with weight {@code alpha}: {@code shares[cell]} is what the bucket's
     * terms put into each cell (0 for the cells no term of the bucket hashes to).
     */
    void fold(float[] shares, long bucketMentions, double alpha) {
        for (int i = 0; i < mean.length; i++) {
            double d = shares[i] - mean[i];
            mean[i] = (float) (mean[i] + alpha * d);
            variance[i] = (float) ((1 - alpha) * (variance[i] + alpha * d * d));
        }
        mentions = mentions + alpha * (bucketMentions - mentions);
        buckets++;
    }
}
