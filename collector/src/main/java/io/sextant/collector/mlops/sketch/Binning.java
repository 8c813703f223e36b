package io.sextant.collector.mlops.sketch;

/**
 * Equal-width bins over {@code [lo, hi)}, plus an underflow and an overflow bin.
 *
 * <p>A feature's binning is learned once (from its reference profile or its first values) and then shared
 * by every window of that feature, which is what makes the windows' histograms mergeable.
 *
 * @param lo   lower edge of the first regular bin
 * @param hi   upper edge of the last regular bin
 * @param bins number of regular bins
 */
public record Binning(double lo, double hi, int bins) {

    public Binning {
        if (!(hi > lo) || Double.isInfinite(lo) || Double.isInfinite(hi) || bins < 1) {
            throw new IllegalArgumentException("need finite lo < hi and bins >= 1, got " + lo + ", " + hi + ", " + bins);
        }
    }

    /**
     * The binning learned from a sample: its range widened by a quarter on each side, so that a moderate
     * shift still lands in regular bins rather than in the open-ended outer ones.
     */
    public static Binning learn(double[] values, int length, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        if (length == 0) {
            return new Binning(-1.0, 1.0, bins);
        }
        double pad = max > min ? 0.25 * (max - min) : Math.max(Math.abs(min) * 0.5, 1.0);
        return new Binning(min - pad, max + pad, bins);
    }

    double width() {
        return (hi - lo) / bins;
    }

    /** Bins per unit of value: the multiplier {@link #index(double, double, double, double, int)} needs. */
    double scale() {
        return bins / (hi - lo);
    }

    /** Index into a counts array of {@code bins + 2}: 0 is underflow, {@code bins + 1} is overflow. */
    int index(double value) {
        return index(value, lo, hi, scale(), bins);
    }

    static int index(double value, double lo, double hi, double scale, int bins) {
        if (value < lo) {
            return 0;
        }
        if (value >= hi) {
            return bins + 1;
        }
        return Math.min(1 + (int) ((value - lo) * scale), bins);
    }

    double lowerEdge(int index) {
        return lo + (index - 1) * width();
    }

    double upperEdge(int index) {
        return index == bins ? hi : lo + index * width();
    }
}
