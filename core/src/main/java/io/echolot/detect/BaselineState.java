package io.echolot.detect;

/**
 * The keyed state of one (brand, topic) baseline: a Flink POJO of fixed size (24 hour-of-day and 7
 * day-of-week factors, a level, the dispersion moments, the tail calibration, the running sums of
 * the coarse resolutions and bookkeeping), a few hundred bytes serialized whatever the key's volume
 * or age.
 */
public class BaselineState {

    /** Start of the first window seen, epoch millis. */
    public long firstWindowStart;

    /** End of the newest window seen, epoch millis. */
    public long lastWindowEnd;

    /** Windows seen. */
    public long windows;

    /** Count of the newest window seen. */
    public long previousObserved;

    /** Deseasonalised level (counts per window). */
    public double level;

    /** EWMA of (x − μ)² − μ, the excess variance over Poisson. */
    public double excessVariance;

    /** EWMA of μ². */
    public double meanSquare;

    /** Multiplicative hour-of-day factors (UTC), mean 1. */
    public double[] hourOfDay;

    /** Multiplicative day-of-week factors (Monday = 0), mean 1. */
    public double[] dayOfWeek;

    /** Windows seen per hour-of-day bucket (capped). */
    public int[] hourSeen;

    /** Windows seen per day-of-week bucket (capped). */
    public int[] daySeen;

    /** EWMA of the share of windows whose count tail is below e^{-u} (u: the exceedance level). */
    public double exceedRate;

    /** EWMA of ln(s / u) over exceedances, s = −ln(count tail): the Pareto tail index. */
    public double excessLogMean;

    /** Exceedances seen (capped). */
    public int exceedances;

    /** Start of the current block per coarse resolution ({@link BaselineModel#SUM_BLOCKS}). */
    public long[] sumBlock;

    /** Mentions counted so far in the current block, per coarse resolution. */
    public long[] sumObserved;

    /** Mentions expected so far in the current block, per coarse resolution. */
    public double[] sumExpected;

    /** Per coarse resolution, EWMA over completed blocks of (sum − expected)² − expected. */
    public double[] sumExcessVariance;

    /** Per coarse resolution, EWMA over completed blocks of expected². */
    public double[] sumMeanSquare;

    /** Per coarse resolution, completed blocks learned from (capped). */
    public int[] sumBlocks;

    /** Event time of the registered idle-cleanup timer, or 0. */
    public long cleanupTimer;

    public BaselineState() {}

    /** A fresh state with flat profiles. */
    public static BaselineState empty() {
        BaselineState s = new BaselineState();
        s.hourOfDay = new double[24];
        s.dayOfWeek = new double[7];
        java.util.Arrays.fill(s.hourOfDay, 1.0);
        java.util.Arrays.fill(s.dayOfWeek, 1.0);
        s.hourSeen = new int[24];
        s.daySeen = new int[7];
        s.sumBlock = new long[BaselineModel.SUM_BLOCKS.length];
        s.sumObserved = new long[BaselineModel.SUM_BLOCKS.length];
        s.sumExpected = new double[BaselineModel.SUM_BLOCKS.length];
        s.sumExcessVariance = new double[BaselineModel.SUM_BLOCKS.length];
        s.sumMeanSquare = new double[BaselineModel.SUM_BLOCKS.length];
        s.sumBlocks = new int[BaselineModel.SUM_BLOCKS.length];
        s.exceedRate = BaselineModel.PRIOR_EXCEED_RATE;
        s.excessLogMean = BaselineModel.PRIOR_EXCESS_LOG_MEAN;
        return s;
    }
}
