package io.echolot.tools.nab;

import java.util.List;

/**
 * Scores detections on one labelled series the way the Numenta Anomaly Benchmark does:
 *
 * <ul>
 *   <li>the first min(⌊0.15 · n⌋, 750) rows are a probation period and are not scored;
 *   <li>in a window [L, R] of W rows, only the earliest detection counts, scoring tpWeight · σ(−(R
 *       − i + 1) / W) / σ(−1) at row i, with σ(y) = 2 / (1 + e^{5y}) − 1; a window without
 *       detection costs −fnWeight;
 *   <li>a detection outside every window costs −fpWeight before the first window, and fpWeight ·
 *       σ(|R_prev − i| / (W_prev − 1)) after a window (R_prev, W_prev: the last window ending
 *       before row i).
 * </ul>
 */
public final class NabScorer {

    private NabScorer() {}

    /** The probation period of a series of n rows. */
    public static int probation(int n) {
        return Math.min((int) Math.floor(0.15 * n), 750);
    }

    /** NAB's scaled sigmoid σ(y) = 2 / (1 + e^{5y}) − 1. */
    public static double sigmoid(double y) {
        return 2 / (1 + Math.exp(5 * y)) - 1;
    }

    /**
     * Scores the detections (one flag per row) of a series with ascending timestamps against its
     * windows (which must not overlap).
     */
    public static NabScore score(
            long[] timestamps, boolean[] detections, List<NabWindow> windows, NabProfile profile) {
        if (timestamps.length != detections.length) {
            throw new IllegalArgumentException("one detection flag per row");
        }
        int n = timestamps.length;
        int[][] rows = windowRows(timestamps, windows);
        boolean[] hit = new boolean[rows.length];
        double raw = 0;
        int outside = 0;
        double maxTp = sigmoid(-1.0);
        for (int i = probation(n); i < n; i++) {
            if (!detections[i]) {
                continue;
            }
            int inside = -1;
            int previous = -1;
            for (int k = 0; k < rows.length; k++) {
                if (rows[k] == null) {
                    continue;
                }
                if (rows[k][0] <= i && i <= rows[k][1]) {
                    inside = k;
                } else if (rows[k][1] < i) {
                    previous = k;
                }
            }
            if (inside >= 0) {
                if (!hit[inside]) {
                    hit[inside] = true;
                    int left = rows[inside][0];
                    int right = rows[inside][1];
                    double width = right - left + 1;
                    raw += profile.tpWeight() * sigmoid(-(right - i + 1) / width) / maxTp;
                }
            } else {
                outside++;
                if (previous < 0) {
                    raw -= profile.fpWeight();
                } else {
                    int right = rows[previous][1];
                    double width = rows[previous][1] - rows[previous][0] + 1;
                    raw +=
                            profile.fpWeight()
                                    * sigmoid(Math.abs(right - i) / Math.max(1.0, width - 1));
                }
            }
        }
        int windowsHit = 0;
        for (boolean h : hit) {
            if (h) {
                windowsHit++;
            } else {
                raw -= profile.fnWeight();
            }
        }
        return new NabScore(profile, raw, windows.size(), windowsHit, outside);
    }

    /**
     * The row range [first, last] of each window: the rows whose timestamps fall inside it, or null
     * for a window without rows.
     */
    static int[][] windowRows(long[] timestamps, List<NabWindow> windows) {
        int[][] rows = new int[windows.size()][];
        for (int k = 0; k < windows.size(); k++) {
            NabWindow w = windows.get(k);
            int first = -1;
            int last = -1;
            for (int i = 0; i < timestamps.length; i++) {
                if (timestamps[i] >= w.start() && timestamps[i] <= w.end()) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            rows[k] = first < 0 ? null : new int[] {first, last};
        }
        return rows;
    }
}
