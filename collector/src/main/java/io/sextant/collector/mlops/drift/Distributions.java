package io.sextant.collector.mlops.drift;

/**
 * The tail probabilities the drift tests need: the exact two-sample Smirnov distribution, the Kolmogorov
 * limiting distribution, and the chi-squared distribution (through the regularised incomplete gamma
 * function). Pure functions.
 */
final class Distributions {

    private Distributions() {
    }

    /**
     * P(D &gt;= d) for the two-sided two-sample Kolmogorov-Smirnov statistic of samples of sizes m and n with
     * no ties, by counting lattice paths that stay inside the band (the algorithm of R's {@code psmirnov}).
     * O(m n) time, O(n) memory.
     */
    static double smirnovExactSf(double d, int m, int n) {
        if (m > n) {
            int t = m;
            m = n;
            n = t;
        }
        double md = m;
        double nd = n;
        // Strictly inside the band is P(D < d); the small offset makes "D == d" count as outside.
        double q = (0.5 + Math.floor(d * md * nd - 1e-7)) / (md * nd);
        double[] u = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            u[j] = (j / nd) > q ? 0.0 : 1.0;
        }
        for (int i = 1; i <= m; i++) {
            double w = (double) i / (i + n);
            if ((i / md) > q) {
                u[0] = 0.0;
            } else {
                u[0] = w * u[0];
            }
            for (int j = 1; j <= n; j++) {
                if (Math.abs(i / md - j / nd) > q) {
                    u[j] = 0.0;
                } else {
                    u[j] = w * u[j] + u[j - 1];
                }
            }
        }
        double inside = u[n];
        return Math.min(1.0, Math.max(0.0, 1.0 - inside));
    }

    /** Survival function of the Kolmogorov distribution, Q(lambda) = P(K &gt; lambda). */
    static double kolmogorovSf(double lambda) {
        if (lambda <= 0) {
            return 1.0;
        }
        if (lambda < 1.18) {
            // Small lambda: the theta-function form converges fast; Q = 1 - CDF.
            double y = Math.exp(-Math.PI * Math.PI / (8 * lambda * lambda));
            double sum = 0;
            for (int k = 1; k <= 20; k++) {
                sum += Math.pow(y, (2 * k - 1) * (2 * k - 1));
            }
            return 1.0 - Math.sqrt(2 * Math.PI) / lambda * sum;
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-17) {
                break;
            }
        }
        return Math.min(1.0, Math.max(0.0, 2 * sum));
    }

    /** P(X &gt; x) for X chi-squared with {@code df} degrees of freedom. */
    static double chiSquaredSf(double x, int df) {
        if (df <= 0) {
            return Double.NaN;
        }
        if (x <= 0) {
            return 1.0;
        }
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        return regularizedGammaQ(df / 2.0, x / 2.0);
    }

    /** Q(a, x) = Gamma(a, x) / Gamma(a): series for x &lt; a + 1, Lentz continued fraction otherwise. */
    static double regularizedGammaQ(double a, double x) {
        if (x < a + 1) {
            return 1.0 - gammaPSeries(a, x);
        }
        return gammaQContinuedFraction(a, x);
    }

    private static double gammaPSeries(double a, double x) {
        double ap = a;
        double sum = 1.0 / a;
        double del = sum;
        for (int n = 0; n < 10_000; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.abs(del) < Math.abs(sum) * 1e-16) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    private static double gammaQContinuedFraction(double a, double x) {
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    /** ln Gamma(x) for x &gt; 0 (Lanczos, g = 7; relative error about 1e-15). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += LANCZOS[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
