package io.echolot.detect;

/**
 * Upper-tail probabilities of counts: Poisson, and negative binomial (NB2: variance = mean +
 * dispersion · mean²) for over-dispersed counts. Pure functions, no state.
 */
public final class CountTail {

    /** Below this dispersion the negative binomial is treated as Poisson. */
    static final double POISSON_DISPERSION = 1e-6;

    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 10_000;

    private CountTail() {}

    /**
     * P(X ≥ x) for X negative binomial with the given mean and dispersion φ (variance = mean + φ ·
     * mean²); φ ≤ 1e-6 is Poisson. 1 for x ≤ 0.
     */
    public static double upper(long x, double mean, double dispersion) {
        if (x <= 0) {
            return 1.0;
        }
        if (!(mean > 0)) {
            return 0.0;
        }
        if (dispersion <= POISSON_DISPERSION) {
            return poissonUpper(x, mean);
        }
        double r = 1.0 / dispersion;
        // P(X >= x) = I_{mean/(r+mean)}(x, r)
        return regularizedBeta(mean / (r + mean), x, r);
    }

    /** P(X ≥ x) for X ~ Poisson(mean): the regularized lower incomplete gamma P(x, mean). */
    public static double poissonUpper(long x, double mean) {
        if (x <= 0) {
            return 1.0;
        }
        return regularizedGammaP(x, mean);
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
    public static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        double xm = x - 1;
        double a = c[0];
        double t = xm + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (xm + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularized lower incomplete gamma function P(a, x). */
    public static double regularizedGammaP(double a, double x) {
        if (x <= 0) {
            return 0.0;
        }
        double lnPrefix = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            // series
            double ap = a;
            double sum = 1.0 / a;
            double del = sum;
            for (int n = 0; n < MAX_ITERATIONS; n++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * EPS) {
                    break;
                }
            }
            return Math.min(1.0, sum * Math.exp(lnPrefix));
        }
        // continued fraction for Q(a, x) (modified Lentz)
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                break;
            }
        }
        return Math.max(0.0, 1.0 - Math.exp(lnPrefix) * h);
    }

    /** The regularized incomplete beta function I_x(a, b). */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0.0;
        }
        if (x >= 1) {
            return 1.0;
        }
        double lnFront =
                logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(lnFront) * betaContinuedFraction(x, a, b) / a;
        }
        return 1.0 - Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a) / b;
    }

    private static double betaContinuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) {
            d = TINY;
        }
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                break;
            }
        }
        return h;
    }
}
