package io.sextant.collector.analysis.anomaly;

/**
 * A streaming distribution-shift test: does the recent distribution of a series differ from its long-run one?
 *
 * <p>It looks for what a point-by-point predictor cannot see: the body of the values moving inside the usual
 * range (each point unremarkable, their distribution not), a noise level that changes. It is a
 * Kolmogorov-Smirnov-style comparison evaluated at a few quantiles:
 * <ol>
 *   <li>{@link #LEVELS} thresholds track quantiles of the long-run distribution by stochastic approximation
 *       (each step a fixed fraction of a running robust scale, so a threshold follows a slow drift but not an
 *       event).</li>
 *   <li>For each threshold the fraction of points at or below it is kept twice, as a short and as a long
 *       exponential average. Comparing the two (rather than the short fraction with the nominal quantile
 *       level) keeps ties and imperfect quantile estimates harmless: a series that is mostly zeros has a long
 *       fraction near 1 at its low thresholds, and only a change of that fraction counts.</li>
 *   <li>The statistic is the largest standardised difference over the thresholds, with the binomial variance of
 *       an exponential average of independent indicators. Real series are autocorrelated, so the statistic is
 *       not read as a probability directly: {@code log(1 + statistic)} is calibrated against its own running
 *       mean and spread (as the point surprise is), giving {@code lambda = -log10(p)}.</li>
 * </ol>
 *
 * <p>Limits, measured: a one-sigma shift of Gaussian noise reaches {@code lambda >= 2.5} within 100 points
 * (five seeds); a series with sparse spikes (10% of points) that falls silent is <em>not</em> found (the
 * fraction above the top threshold moves by 0.1, within the statistic's usual spread), although that was the
 * case that motivated it (two missed NAB windows are such silences). On NAB it adds 0.07 to the standard
 * score.
 *
 * <p>Cost: O({@link #LEVELS}) per point, no allocation after construction, {@link #footprintBytes()} bytes.
 * Threading: owned by the detector's thread.
 */
final class ShiftTest {

    /** Number of quantile thresholds. */
    static final int LEVELS = 5;
    private static final double[] TAU = {0.1, 0.3, 0.5, 0.7, 0.9};

    private final double shortAlpha;
    private final double longAlpha;
    private final double quantileStep;
    private final double calibrationAlpha;
    private final int warmupPoints;
    private final double[] q = new double[LEVELS];
    private final double[] fShort = new double[LEVELS];
    private final double[] fLong = new double[LEVELS];
    private long n;
    private double scale;
    private double statMean;
    private double statVar;
    private long calibrated;
    private double statistic;

    /**
     * @param shortPoints time constant of the recent window, in points
     * @param longPoints time constant of the long-run window, in points
     * @param quantileStep step of the quantile thresholds, as a fraction of the running scale
     * @param calibrationAlpha smoothing of the running mean and variance the statistic is calibrated against
     * @param warmupPoints points learnt before the test answers
     */
    ShiftTest(int shortPoints, int longPoints, double quantileStep, double calibrationAlpha, int warmupPoints) {
        if (shortPoints < 1 || longPoints <= shortPoints || quantileStep <= 0 || calibrationAlpha <= 0) {
            throw new IllegalArgumentException("need 1 <= shortPoints < longPoints and positive steps, got "
                    + shortPoints + ", " + longPoints + ", " + quantileStep + ", " + calibrationAlpha);
        }
        this.shortAlpha = 1.0 / shortPoints;
        this.longAlpha = 1.0 / longPoints;
        this.quantileStep = quantileStep;
        this.calibrationAlpha = calibrationAlpha;
        this.warmupPoints = warmupPoints;
    }

    /**
     * Feeds a point and returns the rarity of the recent distribution as {@code lambda = -log10(p)}, 0 while
     * warming up.
     */
    double update(double x) {
        n++;
        if (n == 1) {
            for (int k = 0; k < LEVELS; k++) {
                q[k] = x;
                fShort[k] = TAU[k];
                fLong[k] = TAU[k];
            }
            return 0.0;
        }
        // the long average starts as a plain running mean, the short one never faster than it
        double al = Math.max(longAlpha, 1.0 / n);
        double as = Math.max(shortAlpha, al);
        double varFactor = as / (2.0 - as);
        // every threshold steps by a fixed fraction of the mean absolute deviation from the median threshold
        double step = quantileStep * Math.max(scale, 1e-12 * Math.abs(x) + 1e-300);
        double stat = 0.0;
        for (int k = 0; k < LEVELS; k++) {
            // a value within two steps of a threshold counts as below it: a threshold sitting on a point mass (a
            // series of zeros) hovers around it, and must not flip the fraction at every step
            double below = x <= q[k] + 2.0 * step ? 1.0 : 0.0;
            fShort[k] += as * (below - fShort[k]);
            fLong[k] += al * (below - fLong[k]);
            // a floor on the long fraction's variance: a fraction of exactly 0 or 1 still has a finite spread
            double p = Math.min(Math.max(fLong[k], 0.5 * longAlpha), 1.0 - 0.5 * longAlpha);
            double z = Math.abs(fShort[k] - fLong[k]) / Math.sqrt(p * (1.0 - p) * varFactor);
            stat = Math.max(stat, z);
        }
        // the thresholds and the scale learn after the comparison
        for (int k = 0; k < LEVELS; k++) {
            q[k] += step * (x <= q[k] ? -(1.0 - TAU[k]) : TAU[k]);
        }
        scale += al * (Math.abs(x - q[LEVELS / 2]) - scale);
        statistic = Math.log1p(stat);
        double lambda = 0.0;
        if (n > warmupPoints && calibrated > warmupPoints && statVar > 0) {
            lambda = -Math.log10(Math.max(Gaussian.q((statistic - statMean) / Math.sqrt(statVar)), 1e-300));
        }
        if (n > warmupPoints / 2) {
            double ca = Math.max(calibrationAlpha, 1.0 / ++calibrated);
            double d = statistic - statMean;
            statMean += ca * d;
            statVar = (1 - ca) * (statVar + ca * d * d);
        }
        return lambda;
    }

    /** The last raw statistic, {@code log(1 + max |z|)}. */
    double statistic() {
        return statistic;
    }

    long footprintBytes() {
        // header + 14 fields + 3 arrays of LEVELS doubles (with headers)
        return 16 + 14L * 8 + 3 * (16 + 8L * LEVELS);
    }
}
