package io.sextant.collector.mlops.sketch;

import java.util.Arrays;

/**
 * An immutable cumulative distribution function, piecewise linear through the points {@code (x[i], f[i])}.
 *
 * <p>Both arrays are non-decreasing. Two points with the same {@code x} make a jump, so one representation
 * covers an empirical CDF (all jumps, exact) and a histogram (linear inside each bin, approximate). The
 * function is 0 left of the first point and equals the last {@code f} (1) from the last point on. It is
 * right-continuous; {@link #leftLimit(double)} gives the value just left of a point.
 */
public final class Cdf {

    private final double[] xs;
    private final double[] fs;
    private final long count;
    private final boolean exact;
    private final double mean;
    private final double std;

    Cdf(double[] xs, double[] fs, long count, boolean exact, double mean, double std) {
        this.xs = xs;
        this.fs = fs;
        this.count = count;
        this.exact = exact;
        this.mean = mean;
        this.std = std;
    }

    /** The empirical CDF of a sample (copied and sorted). Used for reference profiles given as raw values. */
    public static Cdf ofSample(double[] values) {
        NumericSketch sketch = new NumericSketch(Math.max(1, values.length), 64);
        for (double v : values) {
            sketch.update(v);
        }
        return sketch.cdf();
    }

    static Cdf empirical(double[] sorted, int n, double mean, double std) {
        double[] x = new double[2 * n];
        double[] f = new double[2 * n];
        int p = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            x[p] = sorted[i];
            f[p++] = (double) i / n;
            x[p] = sorted[i];
            f[p++] = (double) j / n;
            i = j;
        }
        return new Cdf(Arrays.copyOf(x, p), Arrays.copyOf(f, p), n, true, mean, std);
    }

    /** Number of observations behind this distribution (the {@code n} of a two-sample test). */
    public long count() {
        return count;
    }

    /** True when built from every value; false when built from histogram bins (an approximation). */
    public boolean exact() {
        return exact;
    }

    /** Mean of the observed values (exact: tracked outside the bins). */
    public double mean() {
        return mean;
    }

    /** Population standard deviation (ddof 0) of the observed values (exact: tracked outside the bins). */
    public double std() {
        return std;
    }

    public double min() {
        return xs.length == 0 ? Double.NaN : xs[0];
    }

    public double max() {
        return xs.length == 0 ? Double.NaN : xs[xs.length - 1];
    }

    /** Number of distinct values when exact; -1 when unknown. */
    public int distinctValues() {
        if (!exact) {
            return -1;
        }
        return xs.length / 2;
    }

    /** The breakpoints; callers must not modify the array. */
    double[] points() {
        return xs;
    }

    /** P(X &lt;= x). */
    public double at(double x) {
        int n = xs.length;
        if (n == 0 || x < xs[0]) {
            return 0.0;
        }
        int i = lastAtOrBelow(x);
        if (i == n - 1) {
            return fs[i];
        }
        return interpolate(i, x);
    }

    /** P(X &lt; x). */
    public double leftLimit(double x) {
        int n = xs.length;
        if (n == 0 || x <= xs[0]) {
            return 0.0;
        }
        int j = firstAtOrAbove(x);
        if (j == n) {
            return fs[n - 1];
        }
        return interpolate(j - 1, x);
    }

    private double interpolate(int i, double x) {
        double x0 = xs[i];
        double x1 = xs[i + 1];
        if (x >= x1) {
            return fs[i + 1];
        }
        if (x1 == x0) {
            return fs[i];
        }
        return fs[i] + (fs[i + 1] - fs[i]) * (x - x0) / (x1 - x0);
    }

    private int lastAtOrBelow(double x) {
        int lo = 0;
        int hi = xs.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (xs[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private int firstAtOrAbove(double x) {
        int lo = 0;
        int hi = xs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] >= x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The sorted, distinct union of the breakpoints of two distributions. */
    public static double[] unionPoints(Cdf a, Cdf b) {
        double[] all = new double[a.xs.length + b.xs.length];
        System.arraycopy(a.xs, 0, all, 0, a.xs.length);
        System.arraycopy(b.xs, 0, all, a.xs.length, b.xs.length);
        Arrays.sort(all);
        int p = 0;
        for (int i = 0; i < all.length; i++) {
            if (p == 0 || all[i] != all[p - 1]) {
                all[p++] = all[i];
            }
        }
        return Arrays.copyOf(all, p);
    }
}
