package io.sextant.collector.mlops.sketch;

import java.util.Arrays;

/**
 * A mergeable sketch of a numeric distribution: exact while small, a histogram once large.
 *
 * <p>While at most {@code exactCapacity} values have been seen, every value is kept, and {@link #cdf()} is
 * the exact empirical distribution. When the next value would not fit, the sketch switches to a
 * fixed-bin-count histogram over a {@link Binning}: the one it was given, or one learned from the values it
 * held. Count, mean, variance, min and max are always exact (Welford's update, Chan's merge).
 *
 * <p>Memory is {@code 8 * exactCapacity + 8 * (bins + 2)} bytes plus a few fields, fixed at construction.
 * {@link #update(double)} allocates nothing; the one-time switch to histogram mode replays the held values
 * into preallocated counts (allocating only the {@code Binning} record when it has to learn one).
 * NaN values are counted in {@link #nanCount()} and otherwise ignored.
 *
 * <p>Not thread-safe: one writer (the inference tailer for this model's feature). Merging is deterministic:
 * the same inputs merged in the same order give the same sketch.
 */
public final class NumericSketch {

    /** Evidently's boundary between "small" and "large" samples. */
    public static final int DEFAULT_EXACT_CAPACITY = 1000;
    public static final int DEFAULT_BINS = 256;

    private final double[] exactValues;
    private final long[] counts;
    private final int bins;
    private Binning binning;
    private double binLo;
    private double binHi;
    private double binScale;
    private boolean exact = true;
    private long count;
    private long nanCount;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public NumericSketch() {
        this(DEFAULT_EXACT_CAPACITY, DEFAULT_BINS);
    }

    public NumericSketch(int exactCapacity, int bins) {
        if (exactCapacity < 1 || bins < 1) {
            throw new IllegalArgumentException("exactCapacity and bins must be >= 1");
        }
        this.exactValues = new double[exactCapacity];
        this.bins = bins;
        this.counts = new long[bins + 2];
    }

    /** A sketch that uses an already learned binning (a reference profile's), so it merges with its siblings. */
    public NumericSketch(int exactCapacity, Binning binning) {
        this(exactCapacity, binning.bins());
        useBinning(binning);
    }

    private void useBinning(Binning b) {
        binning = b;
        binLo = b.lo();
        binHi = b.hi();
        binScale = b.scale();
    }

    /** An empty sketch with the same capacity and binning as this one, for the next window. */
    public NumericSketch emptyCopy() {
        NumericSketch s = new NumericSketch(exactValues.length, bins);
        if (binning != null) {
            s.useBinning(binning);
        }
        return s;
    }

    public void update(double value) {
        if (Double.isNaN(value)) {
            nanCount++;
            return;
        }
        if (exact && count == exactValues.length) {
            toHistogram();
        }
        if (exact) {
            exactValues[(int) count] = value;
        } else {
            counts[Binning.index(value, binLo, binHi, binScale, bins)]++;
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
    }

    private void toHistogram() {
        if (binning == null) {
            useBinning(Binning.learn(exactValues, (int) count, bins));
        }
        for (int i = 0; i < count; i++) {
            counts[binning.index(exactValues[i])]++;
        }
        exact = false;
    }

    /** Adds {@code other}'s observations to this sketch. {@code other} is unchanged. */
    public void merge(NumericSketch other) {
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a sketch into itself");
        }
        if (other.exact) {
            for (int i = 0; i < other.count; i++) {
                update(other.exactValues[i]);
            }
            nanCount += other.nanCount;
            return;
        }
        if (binning == null) {
            useBinning(other.binning);
        } else if (!binning.equals(other.binning) || bins != other.bins) {
            throw new IllegalArgumentException("cannot merge sketches with different binnings: " + binning + " and " + other.binning);
        }
        if (exact) {
            toHistogram();
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        mean += delta * other.count / n;
        m2 += other.m2 + delta * delta * ((double) count * other.count / n);
        count = n;
        nanCount += other.nanCount;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    /** Clears the observations, keeping the binning, without allocating. */
    public void reset() {
        Arrays.fill(counts, 0L);
        exact = true;
        count = 0;
        nanCount = 0;
        mean = 0;
        m2 = 0;
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
    }

    /**
     * A serialisable copy of a sketch (Jackson-friendly), for training profiles sent over the API and for
     * checkpoints. {@code values} holds the kept values while exact, {@code counts} the bins otherwise.
     */
    public record State(int exactCapacity, int bins, Binning binning, boolean exact, long count, long nanCount,
                        double mean, double m2, Double min, Double max, double[] values, long[] counts) {
    }

    public State toState() {
        return new State(exactValues.length, bins, binning, exact, count, nanCount, mean, m2,
            count == 0 ? null : min, count == 0 ? null : max,
            exact ? Arrays.copyOf(exactValues, (int) count) : null, exact ? null : counts.clone());
    }

    /** Rebuilds a sketch from {@link #toState()}; refuses a state that does not add up. */
    public static NumericSketch fromState(State s) {
        NumericSketch k = s.binning() == null ? new NumericSketch(s.exactCapacity(), s.bins())
            : new NumericSketch(s.exactCapacity(), s.binning());
        if (s.binning() != null && s.binning().bins() != s.bins()) {
            throw new IllegalArgumentException("binning has " + s.binning().bins() + " bins, state says " + s.bins());
        }
        if (s.exact()) {
            if (s.values() == null || s.values().length != s.count() || s.count() > s.exactCapacity()) {
                throw new IllegalArgumentException("exact state needs count (" + s.count() + ") values within capacity");
            }
            System.arraycopy(s.values(), 0, k.exactValues, 0, s.values().length);
        } else {
            if (s.binning() == null || s.counts() == null || s.counts().length != s.bins() + 2) {
                throw new IllegalArgumentException("histogram state needs a binning and bins + 2 counts");
            }
            long total = 0;
            for (long c : s.counts()) {
                total += c;
            }
            if (total != s.count()) {
                throw new IllegalArgumentException("bin counts add up to " + total + ", state says " + s.count());
            }
            System.arraycopy(s.counts(), 0, k.counts, 0, k.counts.length);
            k.exact = false;
        }
        k.count = s.count();
        k.nanCount = s.nanCount();
        k.mean = s.mean();
        k.m2 = s.m2();
        if (s.count() > 0) {
            k.min = s.min();
            k.max = s.max();
        }
        return k;
    }

    public long count() {
        return count;
    }

    public long nanCount() {
        return nanCount;
    }

    public boolean isExact() {
        return exact;
    }

    /** The binning in use or learned; null while exact and never given one. */
    public Binning binning() {
        return binning;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population variance (ddof 0). */
    public double variance() {
        return count == 0 ? Double.NaN : m2 / count;
    }

    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /**
     * The distribution as a CDF: exact from the kept values, or from the histogram with each bin's mass
     * spread evenly over the part of the bin inside [min, max]. Allocates; call it off the update path.
     */
    public Cdf cdf() {
        double std = Math.sqrt(variance());
        if (exact) {
            double[] sorted = Arrays.copyOf(exactValues, (int) count);
            Arrays.sort(sorted);
            return Cdf.empirical(sorted, (int) count, mean(), std);
        }
        double[] x = new double[2 * counts.length];
        double[] f = new double[2 * counts.length];
        int p = 0;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double a = i == 0 ? min : Math.max(binning.lowerEdge(i), min);
            double b = i == counts.length - 1 ? max : Math.min(i == 0 ? binning.lo() : binning.upperEdge(i), max);
            if (i == counts.length - 1) {
                a = Math.max(binning.hi(), min);
            }
            if (p > 0 && a < x[p - 1]) {
                a = x[p - 1];
            }
            if (b < a) {
                b = a;
            }
            x[p] = a;
            f[p++] = (double) cumulative / count;
            cumulative += counts[i];
            x[p] = b;
            f[p++] = (double) cumulative / count;
        }
        return new Cdf(Arrays.copyOf(x, p), Arrays.copyOf(f, p), count, false, mean(), std);
    }
}
