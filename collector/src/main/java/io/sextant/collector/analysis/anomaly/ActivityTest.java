package io.sextant.collector.analysis.anomaly;

/**
 * A streaming test of the rate of excursions: does a series whose activity comes as sparse spikes fall silent?
 *
 * <p>Many operational series are mostly quiet with occasional bursts (a disk that is written now and then, a CPU
 * that spikes with each batch). Their anomaly can be the bursts <em>stopping</em>: each silent point is
 * unremarkable to a predictor (it is the series' usual value) and the distribution hardly moves (the bursts were
 * a small fraction of the points), but the silence lasts far longer than the gaps between bursts ever did.
 * <ol>
 *   <li>An <b>excursion</b> is a point farther from a robust running centre (a median tracked by stochastic
 *       approximation) than {@code k} times the running mean absolute deviation from it.</li>
 *   <li>The excursions are grouped into <b>bursts</b> (an onset is an excursion after a non-excursion), and the
 *       gaps between onsets are averaged over a long exponential window: the mean gap {@code g}.</li>
 *   <li>Treated as a Poisson process of bursts, a silence of {@code L} points has probability
 *       {@code exp(-L / g)}: {@code lambda = L / (g ln 10)}. When it crosses {@code h} the test fires once for
 *       this silence (with lambda {@code h}); it can fire again only after a new burst.</li>
 * </ol>
 * A series without a steady burst process (fewer than {@code minBursts} onsets seen, or excursions on most points)
 * never fires.
 *
 * <p>Measured on NAB (detector settings k 5, h 10): it finds the silence in ec2_disk_write_bytes_c0d644 (standard
 * 74.34 to 75.79) but not the one in ec2_cpu_utilization_fe7f93 (it fired there some 200 points after the
 * window with k 3, h 8, and not at all with k 5). k 4 to 6 with h 8 to 12 score 75.2 to 75.9; k 3 or h 4 to 6
 * add false alarms; a mean-gap window of 50 bursts instead of 20 loses the find. An onset of frequent excursions
 * (oscillation) is not tested.
 *
 * <p>Cost: O(1) per point, no allocation, {@link #footprintBytes()} bytes. Threading: owned by the detector's
 * thread.
 */
final class ActivityTest {

    private final double k;
    private final double h;
    private final double longAlpha;
    private final double gapAlpha;
    private final int minBursts;
    private long n;
    private double centre;
    private double scale;
    private double rate;
    private double meanGap;
    private long bursts;
    private long run;
    private boolean lastExcursion;
    private boolean fired;

    /**
     * @param k excursion distance, in mean absolute deviations from the running centre
     * @param h lambda at which a silence fires
     * @param longPoints time constant, in points, of the centre's scale and the excursion rate
     * @param gapBursts time constant, in bursts, of the mean gap between bursts
     * @param minBursts bursts seen before the test answers
     */
    ActivityTest(double k, double h, int longPoints, int gapBursts, int minBursts) {
        if (k <= 0 || h <= 0 || longPoints < 1 || gapBursts < 1 || minBursts < 1) {
            throw new IllegalArgumentException("need positive k, h, longPoints, gapBursts, minBursts, got "
                    + k + ", " + h + ", " + longPoints + ", " + gapBursts + ", " + minBursts);
        }
        this.k = k;
        this.h = h;
        this.longAlpha = 1.0 / longPoints;
        this.gapAlpha = 1.0 / gapBursts;
        this.minBursts = minBursts;
    }

    /** Feeds a point; returns {@code h} on the point where a silence becomes that rare, else 0. */
    double update(double x) {
        n++;
        if (n == 1) {
            centre = x;
            return 0.0;
        }
        double a = Math.max(longAlpha, 1.0 / n);
        double dev = Math.abs(x - centre);
        boolean excursion = dev > k * scale && scale > 0;
        double out = 0.0;
        if (excursion) {
            if (!lastExcursion) {
                if (bursts > 0) {
                    double ga = Math.max(gapAlpha, 1.0 / bursts);
                    meanGap += ga * (run + 1 - meanGap);
                }
                bursts++;
            }
            run = 0;
            fired = false;
        } else {
            run++;
            // a steady burst process: enough bursts, and excursions a minority of the points
            if (!fired && bursts >= minBursts && rate < 0.5 && meanGap > 0) {
                double lambda = run / (meanGap * Math.log(10));
                if (lambda >= h) {
                    fired = true;
                    out = h;
                }
            }
        }
        lastExcursion = excursion;
        rate += a * ((excursion ? 1.0 : 0.0) - rate);
        // the centre steps by a fraction of the scale toward x (a median by stochastic approximation)
        double step = 0.05 * Math.max(scale, 1e-12 * Math.abs(x) + 1e-300);
        centre += x > centre ? step : x < centre ? -step : 0.0;
        scale += a * (dev - scale);
        return out;
    }

    /** Points since the last excursion. */
    long silentRun() {
        return run;
    }

    /** The running mean gap between burst onsets, in points (0 before two bursts). */
    double meanGap() {
        return meanGap;
    }

    long footprintBytes() {
        // header + 14 fields
        return 16 + 14L * 8;
    }
}
