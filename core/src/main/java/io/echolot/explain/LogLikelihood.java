package io.echolot.explain;

/**
 * Dunning's log-likelihood ratio (G²) of a feature seen {@code a} times in {@code n} recent
 * mentions against {@code b} times in {@code m} baseline mentions: how surprising the recent rate
 * is, with small counts handled better than by a z-score. 10.8 is p &lt; 0.001 for one degree of
 * freedom.
 */
public final class LogLikelihood {

    private LogLikelihood() {}

    /** G² of the 2×2 table; 0 when either side is empty. Counts may be fractional (decayed). */
    public static double score(double a, double n, double b, double m) {
        if (n <= 0 || m <= 0) {
            return 0;
        }
        a = Math.min(Math.max(a, 0), n);
        b = Math.min(Math.max(b, 0), m);
        double c = n - a;
        double d = m - b;
        double total = n + m;
        double g =
                xlogx(a)
                        + xlogx(b)
                        + xlogx(c)
                        + xlogx(d)
                        + xlogx(total)
                        - xlogx(a + b)
                        - xlogx(c + d)
                        - xlogx(n)
                        - xlogx(m);
        return Math.max(0, 2 * g);
    }

    private static double xlogx(double x) {
        return x <= 0 ? 0 : x * Math.log(x);
    }
}
