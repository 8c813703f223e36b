package io.sextant.collector.mlops.drift;

import io.sextant.collector.mlops.sketch.Cdf;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The drift statistics as pure functions of two distributions. Numeric inputs are {@link Cdf}s (exact or
 * binned), categorical inputs are counts by category. These are the definitions the tests check against
 * scipy; {@link DriftEvaluator} decides which one to apply and what counts as drift.
 */
public final class DriftStatistics {

    /** Above this many m*n pairs the KS p-value uses the asymptotic distribution instead of the exact one. */
    public static final long KS_EXACT_LIMIT = 10_000_000L;
    /** What an empty bin's proportion becomes in PSI, so that the logarithm stays finite. */
    public static final double PSI_EMPTY_BIN = 1e-4;

    private DriftStatistics() {
    }

    /** Two-sample Kolmogorov-Smirnov statistic D = sup |F_ref - F_cur|. */
    public static double ksStatistic(Cdf reference, Cdf current) {
        double d = 0;
        for (double x : Cdf.unionPoints(reference, current)) {
            d = Math.max(d, Math.abs(reference.at(x) - current.at(x)));
            d = Math.max(d, Math.abs(reference.leftLimit(x) - current.leftLimit(x)));
        }
        return d;
    }

    /**
     * Two-sided p-value of D for sample sizes m and n: exact (no-ties lattice count, as scipy's
     * {@code method='exact'}) while m*n &lt;= {@link #KS_EXACT_LIMIT} and both samples are exact, otherwise
     * the Kolmogorov limit at sqrt(m n / (m + n)) * D. The exact value is 1 - P(D &lt; d) in doubles, so
     * p-values below about 1e-15 come out as 0 (no drift decision changes).
     */
    public static double ksPValue(double d, long m, long n, boolean exactSamples) {
        if (m == 0 || n == 0) {
            return 1.0;
        }
        if (exactSamples && m * n <= KS_EXACT_LIMIT) {
            return Distributions.smirnovExactSf(d, (int) m, (int) n);
        }
        double en = (double) m * n / (m + n);
        return Distributions.kolmogorovSf(Math.sqrt(en) * d);
    }

    /** Wasserstein-1 distance, the integral of |F_ref - F_cur| (exact for exact inputs, like scipy). */
    public static double wasserstein(Cdf reference, Cdf current) {
        double[] xs = Cdf.unionPoints(reference, current);
        double total = 0;
        for (int k = 0; k + 1 < xs.length; k++) {
            double dx = xs[k + 1] - xs[k];
            double a = reference.at(xs[k]) - current.at(xs[k]);
            double b = reference.leftLimit(xs[k + 1]) - current.leftLimit(xs[k + 1]);
            if ((a >= 0) == (b >= 0)) {
                total += 0.5 * (Math.abs(a) + Math.abs(b)) * dx;
            } else {
                total += 0.5 * (a * a + b * b) / (Math.abs(a) + Math.abs(b)) * dx;
            }
        }
        return total;
    }

    /** Wasserstein-1 divided by the reference's standard deviation (at least 0.001), as Evidently does. */
    public static double normalisedWasserstein(Cdf reference, Cdf current) {
        return wasserstein(reference, current) / Math.max(reference.std(), 0.001);
    }

    /**
     * Proportions of each sample in numpy's Sturges bins of the pooled range ({@code
     * np.histogram_bin_edges(concat, bins='sturges')}: ceil(log2(m + n)) + 1 equal bins over [min, max]; each
     * bin [a, b) except the last, which is [a, b]). Returns {reference, current}.
     */
    public static double[][] sturgesProportions(Cdf reference, Cdf current) {
        long n = reference.count() + current.count();
        int k = (int) Math.ceil(Math.log(n) / Math.log(2) + 1);
        double lo = Math.min(reference.min(), current.min());
        double hi = Math.max(reference.max(), current.max());
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            edges[i] = lo + (hi - lo) * i / k;
        }
        edges[k] = hi;
        return new double[][] {proportions(reference, edges), proportions(current, edges)};
    }

    static double[] proportions(Cdf cdf, double[] edges) {
        int k = edges.length - 1;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            double upper = i == k - 1 ? cdf.at(edges[k]) : cdf.leftLimit(edges[i + 1]);
            p[i] = Math.max(0.0, upper - cdf.leftLimit(edges[i]));
        }
        return p;
    }

    /** Population stability index: sum (p - q) ln(p / q), empty bins set to {@link #PSI_EMPTY_BIN}. */
    public static double psi(double[] reference, double[] current) {
        double s = 0;
        for (int i = 0; i < reference.length; i++) {
            double p = reference[i] == 0 ? PSI_EMPTY_BIN : reference[i];
            double q = current[i] == 0 ? PSI_EMPTY_BIN : current[i];
            s += (p - q) * Math.log(p / q);
        }
        return s;
    }

    /**
     * Jensen-Shannon distance with natural logarithms (scipy's {@code jensenshannon(p, q)}): the square root
     * of the mean KL divergence of p and q from their midpoint; inputs are normalised to sum 1.
     */
    public static double jensenShannon(double[] reference, double[] current) {
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < reference.length; i++) {
            sp += reference[i];
            sq += current[i];
        }
        double js = 0;
        for (int i = 0; i < reference.length; i++) {
            double p = reference[i] / sp;
            double q = current[i] / sq;
            double m = 0.5 * (p + q);
            if (p > 0) {
                js += 0.5 * p * Math.log(p / m);
            }
            if (q > 0) {
                js += 0.5 * q * Math.log(q / m);
            }
        }
        return Math.sqrt(Math.max(0.0, js));
    }

    /** Result of a chi-squared test of homogeneity. */
    public record ChiSquared(double statistic, int degreesOfFreedom, double pValue) {
    }

    /**
     * Chi-squared test of homogeneity on the 2 x k table {reference counts, current counts}; categories
     * empty in both are dropped; df = k - 1.
     */
    public static ChiSquared chiSquared(long[] reference, long[] current) {
        double nr = 0;
        double nc = 0;
        int k = 0;
        for (int i = 0; i < reference.length; i++) {
            nr += reference[i];
            nc += current[i];
            if (reference[i] + current[i] > 0) {
                k++;
            }
        }
        if (k < 2 || nr == 0 || nc == 0) {
            return new ChiSquared(0.0, Math.max(0, k - 1), 1.0);
        }
        double n = nr + nc;
        double stat = 0;
        for (int i = 0; i < reference.length; i++) {
            double col = reference[i] + current[i];
            if (col == 0) {
                continue;
            }
            double er = col * nr / n;
            double ec = col * nc / n;
            stat += (reference[i] - er) * (reference[i] - er) / er + (current[i] - ec) * (current[i] - ec) / ec;
        }
        return new ChiSquared(stat, k - 1, Distributions.chiSquaredSf(stat, k - 1));
    }

    /** Counts of two categorical distributions aligned on the union of their categories (reference order first). */
    public static long[][] align(Map<String, Long> reference, Map<String, Long> current) {
        Set<String> keys = new LinkedHashSet<>(reference.keySet());
        keys.addAll(current.keySet());
        long[] r = new long[keys.size()];
        long[] c = new long[keys.size()];
        int i = 0;
        for (String key : keys) {
            r[i] = reference.getOrDefault(key, 0L);
            c[i] = current.getOrDefault(key, 0L);
            i++;
        }
        return new long[][] {r, c};
    }

    /** Counts divided by their total. */
    public static double[] toProportions(long[] counts) {
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = total == 0 ? 0 : counts[i] / total;
        }
        return p;
    }
}
