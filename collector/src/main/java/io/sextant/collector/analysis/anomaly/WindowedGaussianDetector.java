package io.sextant.collector.analysis.anomaly;

/**
 * The windowed-Gaussian baseline, as NAB's {@code windowedGaussian} detector is described: the score of a
 * point is {@code 1 - Q(|x - mean| / std)} where mean and (population) standard deviation are those of the
 * window of past values; the window grows to {@code windowSize} values and then slides forward in steps of
 * {@code stepSize} values. The very first point scores 0.
 *
 * <p>Kept deliberately faithful to the published baseline so that it can be compared with published scores;
 * its window of 6400 doubles (50 KiB) is above the per-series budget of the default detector, which is fine
 * for a reference.
 *
 * <p>Threading and lifecycle as in {@link SeriesDetector}.
 */
public final class WindowedGaussianDetector implements SeriesDetector {

    public static final String NAME = "windowedGaussian";
    public static final int WINDOW_SIZE_DEFAULT = 6400;
    public static final int STEP_SIZE_DEFAULT = 100;

    private final double[] window;
    private final double[] step;
    private final int stepSize;
    private int windowCount;
    private int windowHead;
    private int stepCount;
    private double mean;
    private double std;
    private double lastMean = Double.NaN;
    private double lastStd = Double.NaN;

    public WindowedGaussianDetector() {
        this(WINDOW_SIZE_DEFAULT, STEP_SIZE_DEFAULT);
    }

    public WindowedGaussianDetector(int windowSize, int stepSize) {
        if (windowSize < 1 || stepSize < 1 || stepSize > windowSize) {
            throw new IllegalArgumentException("need 1 <= stepSize <= windowSize, got " + stepSize + ", " + windowSize);
        }
        this.window = new double[windowSize];
        this.step = new double[stepSize];
        this.stepSize = stepSize;
    }

    @Override
    public double update(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        double score = 0.0;
        if (windowCount > 0) {
            lastMean = mean;
            lastStd = std;
            score = 1.0 - Gaussian.q(Math.abs(value - mean) / std);
        }
        if (windowCount < window.length) {
            window[windowCount++] = value;
            recompute();
        } else {
            step[stepCount++] = value;
            if (stepCount == stepSize) {
                for (int i = 0; i < stepSize; i++) {
                    window[windowHead] = step[i];
                    windowHead = (windowHead + 1) % window.length;
                }
                stepCount = 0;
                recompute();
            }
        }
        return score;
    }

    /** Full recomputation in two passes: exact, and cheap enough amortised (once per step once the window is full). */
    private void recompute() {
        if (windowCount < window.length) {
            // growing phase: incremental Welford update keeps this O(1) per point
            double x = window[windowCount - 1];
            if (windowCount == 1) {
                mean = x;
                m2 = 0.0;
            } else {
                double d = x - mean;
                mean += d / windowCount;
                m2 += d * (x - mean);
            }
            std = Math.sqrt(m2 / windowCount);
        } else {
            double sum = 0.0;
            for (double v : window) {
                sum += v;
            }
            double m = sum / window.length;
            double ss = 0.0;
            for (double v : window) {
                ss += (v - m) * (v - m);
            }
            mean = m;
            m2 = ss;
            std = Math.sqrt(ss / window.length);
        }
        if (std == 0.0) {
            std = 0.000001;
        }
    }

    private double m2;

    @Override
    public double expectedLow() {
        return lastMean - 3.0 * lastStd;
    }

    @Override
    public double expectedHigh() {
        return lastMean + 3.0 * lastStd;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long footprintBytes() {
        return 16 + 8L * 8 + 4L * 4 + 2L * 16 + 8L * window.length + 8L * step.length;
    }
}
