package io.sextant.collector.analysis.anomaly;

/**
 * Finds the dominant period of a series from the autocorrelation of a decimated history.
 *
 * <p>Points are averaged into bins of {@code pointsPerBin} points; the last {@code capacity} bins are kept in
 * a ring. Every {@code recheckBins} new bins the autocorrelation is computed for every lag from
 * {@link #MIN_LAG_BINS} to half the history, and the period is the lag of the highest local maximum whose
 * autocorrelation exceeds {@code minCorrelation}. Seasonality is found, never configured: a daily rhythm at
 * five-minute sampling and a weekly rhythm at hourly sampling both fall inside the searched lags.
 *
 * <p>Cost: O(1) per point plus one pass of about {@code capacity^2 * 3 / 8} multiply-adds every
 * {@code recheckBins} bins: with 512 bins, 16 bins between checks and 8 points per bin, about 100k operations
 * (some tens of microseconds) once per 128 points, under a microsecond per point amortised. No allocation
 * after construction. The capacity is a power of two.
 * Threading: owned by the detector's thread.
 */
public final class PeriodFinder {

    static final int MIN_LAG_BINS = 4;

    private final double[] bins;
    private final int pointsPerBin;
    private final int recheckBins;
    private final double minCorrelation;
    private int head;
    private int count;
    private double binSum;
    private int binPoints;
    private int binsSinceCheck;
    private int periodBins;
    private int checkedBins;
    private double periodCorrelation;

    public PeriodFinder(int capacity, int pointsPerBin, int recheckBins, double minCorrelation) {
        if (Integer.bitCount(capacity) != 1 || pointsPerBin < 1 || recheckBins < 1) {
            throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
        }
        this.bins = new double[capacity];
        this.pointsPerBin = pointsPerBin;
        this.recheckBins = recheckBins;
        this.minCorrelation = minCorrelation;
    }

    /** Adds a point; returns true when the period estimate was recomputed. */
    public boolean add(double value) {
        binSum += value;
        if (++binPoints < pointsPerBin) {
            return false;
        }
        bins[head] = binSum / binPoints;
        head = (head + 1) & (bins.length - 1);
        if (count < bins.length) {
            count++;
        }
        binSum = 0.0;
        binPoints = 0;
        if (++binsSinceCheck >= recheckBins && count >= 4 * MIN_LAG_BINS) {
            binsSinceCheck = 0;
            recompute();
            return true;
        }
        return false;
    }

    private void recompute() {
        int n = count;
        checkedBins = n;
        int mask = bins.length - 1;
        int start = count < bins.length ? 0 : head;
        double mean = 0.0;
        for (int i = 0; i < n; i++) {
            mean += bins[(start + i) & mask];
        }
        mean /= n;
        double var = 0.0;
        for (int i = 0; i < n; i++) {
            double d = bins[(start + i) & mask] - mean;
            var += d * d;
        }
        periodBins = 0;
        periodCorrelation = 0.0;
        if (var <= 0.0) {
            return;
        }
        int maxLag = n / 2;
        double prev2 = 1.0;
        double prev1 = 1.0;
        for (int lag = 1; lag <= maxLag + 1; lag++) {
            double acf = 0.0;
            if (lag <= maxLag) {
                for (int i = lag; i < n; i++) {
                    acf += (bins[(start + i) & mask] - mean) * (bins[(start + i - lag) & mask] - mean);
                }
                acf /= var;
            }
            // prev1 is the acf at lag - 1: is it a local maximum?
            int candidate = lag - 1;
            if (candidate >= MIN_LAG_BINS && prev1 > prev2 && prev1 >= acf && prev1 > minCorrelation
                    && prev1 > periodCorrelation) {
                periodBins = candidate;
                periodCorrelation = prev1;
            }
            prev2 = prev1;
            prev1 = acf;
        }
    }

    /** Period in points, or 0 when no period is established. */
    public int periodPoints() {
        return periodBins * pointsPerBin;
    }

    /** Points of history the last period search examined (0 before the first search). */
    public long checkedPoints() {
        return (long) checkedBins * pointsPerBin;
    }

    public double correlation() {
        return periodCorrelation;
    }

    public long footprintBytes() {
        return 16 + 16 + 8L * bins.length + 8 * 8;
    }
}
