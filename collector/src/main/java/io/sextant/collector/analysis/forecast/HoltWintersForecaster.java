package io.sextant.collector.analysis.forecast;

import io.sextant.collector.analysis.anomaly.PeriodFinder;

/**
 * Additive Holt-Winters forecaster for one series, with a damped trend and a seasonal component whose period
 * is found by autocorrelation ({@link PeriodFinder}), never configured.
 *
 * <p>{@link #update} is O(1) and allocates nothing after the first 16 points. Forecasts, intervals and
 * time-to-threshold are queries made off the per-point path; they cost O(horizon).
 *
 * <p>Prediction intervals use the running mean squared one-step error and the variance growth of additive
 * Holt-Winters (Hyndman et al., "Forecasting with Exponential Smoothing", class 1 models):
 * {@code var(h) = s2 * (1 + sum_{j=1}^{h-1} (alpha + alpha*beta*j + gamma*[j mod m == 0])^2)}.
 *
 * <p>Threading: one writer (the analysis thread that owns the series); not thread-safe.
 */
public final class HoltWintersForecaster {

    static final int SEASON_MAX = 1024;
    static final double SLOPE_ALPHA = 0.01;
    static final int PERIOD_BINS = 512;
    static final long HISTORY_TARGET_MILLIS = 14L * 24 * 3600 * 1000;

    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double phi;
    private final double[] season;
    private final boolean frozen;
    private PeriodFinder periods;
    private long n;
    private long firstMillis;
    private long lastMillis;
    private long intervalMillis;
    private int seasonSize;
    private int periodPoints;
    private long periodMillis;
    private long seasonUpdates;
    private double level;
    private double trend;
    private double mse;
    private double mean;
    private double slope;
    private long errors;

    /** Defaults suited to metrics sampled every few seconds to minutes. */
    public HoltWintersForecaster() {
        this(0.3, 0.01, 0.2, 0.98);
    }

    /**
     * @param alpha level smoothing in (0, 1]
     * @param beta trend smoothing in [0, 1]
     * @param gamma seasonal smoothing in [0, 1]
     * @param phi trend damping in (0, 1]; 1 is an undamped linear trend
     */
    public HoltWintersForecaster(double alpha, double beta, double gamma, double phi) {
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.phi = phi;
        this.season = new double[SEASON_MAX];
        this.frozen = false;
    }

    /** A read-only copy of the forecasting state (no period search, only the learnt part of the season). */
    private HoltWintersForecaster(HoltWintersForecaster o) {
        this.alpha = o.alpha;
        this.beta = o.beta;
        this.gamma = o.gamma;
        this.phi = o.phi;
        this.season = java.util.Arrays.copyOf(o.season, Math.max(1, o.seasonSize));
        this.frozen = true;
        this.n = o.n;
        this.firstMillis = o.firstMillis;
        this.lastMillis = o.lastMillis;
        this.intervalMillis = o.intervalMillis;
        this.seasonSize = o.seasonSize;
        this.periodPoints = o.periodPoints;
        this.periodMillis = o.periodMillis;
        this.seasonUpdates = o.seasonUpdates;
        this.level = o.level;
        this.trend = o.trend;
        this.mse = o.mse;
        this.mean = o.mean;
        this.slope = o.slope;
        this.errors = o.errors;
    }

    /**
     * A frozen copy for readers on other threads: its forecasts, intervals and time-to-threshold are those of
     * this forecaster now; {@link #update} on it throws. Costs about {@code 200 + 8 * period} bytes. Publish
     * it through a volatile field (or another safe hand-over).
     */
    public HoltWintersForecaster snapshot() {
        return new HoltWintersForecaster(this);
    }

    /** Feeds the next point; timestamps are non-decreasing Unix milliseconds. Non-finite values are ignored. */
    public void update(long t, double x) {
        if (frozen) {
            throw new IllegalStateException("a snapshot is read-only");
        }
        if (!Double.isFinite(x)) {
            return;
        }
        n++;
        if (n == 1) {
            firstMillis = t;
            lastMillis = t;
            level = x;
            mean = x;
            return;
        }
        long dt = t - lastMillis;
        lastMillis = t;
        if (dt > 0 && (intervalMillis == 0 || dt < intervalMillis)) {
            intervalMillis = dt;
        }
        if (periods == null && n >= 16 && intervalMillis > 0) {
            long ppb = Math.max(1, (HISTORY_TARGET_MILLIS / intervalMillis + PERIOD_BINS - 1) / PERIOD_BINS);
            periods = new PeriodFinder(PERIOD_BINS, (int) Math.min(ppb, 1 << 20), 16, 0.3);
        }
        int phase = phaseAt(t);
        // a slow mean: the reference the first cycle of a new period is measured against
        double ma = Math.max(1.0 / n, periodPoints > 0 ? 1.0 / periodPoints : 0.01);
        mean += ma * (x - mean);
        if (phase >= 0 && seasonUpdates < seasonSize) {
            // first cycle of a newly found period: take the shape as measured, before the level can absorb it
            season[phase] = x - mean;
        }
        double s = phase >= 0 ? season[phase] : 0.0;
        double predicted = level + phi * trend + s;
        double err = x - predicted;
        if (n > 2) {
            errors++;
            mse += (err * err - mse) / Math.min(errors, 1000);
        }
        double prevLevel = level;
        level = alpha * (x - s) + (1 - alpha) * (prevLevel + phi * trend);
        trend = n == 2 ? level - prevLevel : beta * (level - prevLevel) + (1 - beta) * phi * trend;
        // the damped trend above is biased low by design (it forecasts growth that fades); time-to-threshold
        // wants the plain current slope of the level
        slope += Math.max(1.0 / (n - 1), SLOPE_ALPHA) * ((level - prevLevel) - slope);
        if (phase >= 0) {
            if (seasonUpdates >= seasonSize) {
                season[phase] = gamma * (x - level) + (1 - gamma) * s;
            }
            seasonUpdates++;
        }
        if (periods != null && periods.add(x)) {
            int p = periods.periodPoints();
            if (p > 0 && p != periodPoints) {
                periodPoints = p;
                periodMillis = p * intervalMillis;
                seasonSize = Math.min(p, SEASON_MAX);
                java.util.Arrays.fill(season, 0.0);
                seasonUpdates = 0;
            }
        }
    }

    private int phaseAt(long t) {
        if (seasonSize == 0) {
            return -1;
        }
        return (int) (Math.floorMod(t - firstMillis, periodMillis) * seasonSize / periodMillis);
    }

    /** Points fed so far. */
    public long count() {
        return n;
    }

    /** The sampling interval seen (smallest positive gap), 0 before two points. */
    public long intervalMillis() {
        return intervalMillis;
    }

    /** Time of the last point fed, Unix milliseconds (0 before any). */
    public long lastMillis() {
        return lastMillis;
    }

    /** The detected period in milliseconds, 0 when none. */
    public long periodMillis() {
        return periodMillis;
    }

    /** The detected period in points, 0 when none. */
    public int periodPoints() {
        return periodPoints;
    }

    /** Point forecast {@code h >= 1} steps (sampling intervals) after the last point. */
    public double forecast(int h) {
        double damp = 0.0;
        double p = 1.0;
        for (int j = 1; j <= h; j++) {
            p *= phi;
            damp += p;
        }
        return level + damp * trend + seasonalAt(h);
    }

    private double seasonalAt(int h) {
        if (seasonSize > 0 && seasonUpdates >= seasonSize) {
            return season[phaseAt(lastMillis + h * intervalMillis)];
        }
        return 0.0;
    }

    /** Half-width of the central prediction interval at {@code h} steps for a standard-normal quantile {@code z}. */
    public double intervalHalfWidth(int h, double z) {
        double sum = 1.0;
        for (int j = 1; j < h; j++) {
            double c = alpha + alpha * beta * j + (periodPoints > 0 && j % periodPoints == 0 ? gamma : 0.0);
            sum += c * c;
        }
        return z * Math.sqrt(mse * sum);
    }

    /** A forecast with its 95% interval, {@code h} steps ahead. */
    public Forecast forecastWithInterval(int h) {
        double mean = forecast(h);
        double w = intervalHalfWidth(h, 1.96);
        return new Forecast(lastMillis + h * intervalMillis, mean, mean - w, mean + w);
    }

    /**
     * Predicts when the series will reach {@code threshold} (from below when it is above the current level,
     * from above otherwise), looking at most {@code maxSteps} intervals ahead. The trend is extrapolated
     * undamped at the level's current slope (a leak keeps leaking), with the seasonal pattern on top.
     *
     * @param conservative when true the upper (or lower) 95% bound must cross, which warns earlier
     * @return the predicted crossing, or {@link TimeToThreshold#NEVER} when none is expected within the horizon
     */
    public TimeToThreshold timeToThreshold(double threshold, int maxSteps, boolean conservative) {
        if (n < 3 || intervalMillis == 0) {
            return TimeToThreshold.NEVER;
        }
        boolean rising = threshold >= level;
        for (int h = 1; h <= maxSteps; h++) {
            // undamped: a leak is extrapolated as the straight line it is; damping would promise it stops
            double f = level + h * slope + seasonalAt(h);
            double bound = conservative ? (rising ? f + intervalHalfWidth(h, 1.96) : f - intervalHalfWidth(h, 1.96)) : f;
            if (rising ? bound >= threshold : bound <= threshold) {
                return new TimeToThreshold(lastMillis + h * intervalMillis, h, threshold);
            }
        }
        return TimeToThreshold.NEVER;
    }

    /** Heap retained, estimated from the layout. */
    public long footprintBytes() {
        return 16 + 20L * 8 + 16 + 8L * SEASON_MAX + (periods == null ? 0 : periods.footprintBytes());
    }
}
