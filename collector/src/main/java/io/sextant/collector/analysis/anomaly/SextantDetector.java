package io.sextant.collector.analysis.anomaly;

/**
 * Sextant's default detector. See the package documentation for the contract.
 */
public final class SextantDetector implements SeriesDetector {

    public static final String NAME = "sextant";

    static final int PERIOD_BINS = 512;
    static final int PROFILE_MAX = 1024;
    static final long HISTORY_TARGET_MILLIS = 14L * 24 * 3600 * 1000;

    /** Tunables; one set for every series. */
    public record Config(double levelAlpha, double scaleAlpha, double statAlpha, double profileAlpha, double shortAlpha,
                  int warmup, double spatialMargin, int refractory, double cusumK, double cusumH, double seasonWin, double damp, double recordDecay, double recordWeight, double recordMin, double spatialGate, double kappa, int logZ, double spatialBase, double slowAlpha, double cusumWeight) {
        public static final Config DEFAULT = new Config(0.2, 0.003, 0.002, 0.25, 0.6, 60, 0.05, 100, 0.5, 10.0, 0.7, 0.5, 0.001, 10.0, 1e9, 2.0, 1.0, 1, 8.0, 0.003, 4.0);
    }

    private final Config cfg;
    private final double[] profile = new double[PROFILE_MAX];
    private PeriodFinder periods;
    private long n;
    private long firstMillis;
    private long lastMillis;
    private long intervalMillis;
    private int profileSize;
    private long periodMillis;
    private int profileVisits;

    private double level;
    private double min;
    private double max;
    private double absErrLevel;
    private double absErrSeason;
    private double shortZ;
    private double statMean;
    private double statVar;
    private double cusumUp;
    private double cusumDown;
    private double peak;
    private double zRecord;
    private double slowMean;
    private double slowVar;
    private double expectedLow = Double.NaN;
    private double expectedHigh = Double.NaN;

    public SextantDetector() {
        this(Config.DEFAULT);
    }

    public SextantDetector(Config cfg) {
        this.cfg = cfg;
    }

    @Override
    public double update(long t, double x) {
        if (!Double.isFinite(x)) {
            return 0.0;
        }
        n++;
        if (n == 1) {
            firstMillis = t;
            lastMillis = t;
            level = x;
            slowMean = x;
            min = x;
            max = x;
            return 0.0;
        }
        long dt = t - lastMillis;
        lastMillis = t;
        if (dt > 0 && (intervalMillis == 0 || dt < intervalMillis)) {
            intervalMillis = dt;
        }
        if (periods == null && n >= 16 && intervalMillis > 0) {
            int ppb = (int) Math.max(1, (HISTORY_TARGET_MILLIS / intervalMillis + PERIOD_BINS - 1) / PERIOD_BINS);
            periods = new PeriodFinder(PERIOD_BINS, ppb, 16, 0.3);
        }

        // predictions made before seeing x
        double predLevel = level;
        int phase = -1;
        double predSeason = Double.NaN;
        if (profileSize > 0) {
            phase = (int) (((t - firstMillis) % periodMillis) * profileSize / periodMillis);
            if (profileVisits > profileSize) {
                predSeason = profile[phase];
            }
        }
        double scaleFloor = 1e-9 + 1e-6 * Math.max(Math.abs(max), Math.abs(min));
        double sL = Math.max(absErrLevel * 1.25, scaleFloor);
        double zL = (x - predLevel) / sL;
        double z = Math.abs(zL);
        if (!Double.isNaN(predSeason)) {
            double sS = Math.max(absErrSeason * 1.25, scaleFloor);
            double zS = (x - predSeason) / sS;
            if (absErrSeason < cfg.seasonWin() * absErrLevel) {
                z = Math.abs(zS);
            } else if (Math.abs(zS) < z) {
                z = Math.abs(zS);
            }
            expectedLow = predSeason - 3 * sS;
            expectedHigh = predSeason + 3 * sS;
        } else {
            expectedLow = predLevel - 3 * sL;
            expectedHigh = predLevel + 3 * sL;
        }

        // spatial: outside everything seen so far
        double range = max - min;
        double spatial = 0.0;
        if (n > cfg.warmup() && range > 0) {
            double over = Math.max(x - max, min - x) / range;
            if (over > cfg.spatialMargin() && z >= cfg.spatialGate()) {
                spatial = over;
            }
        }

        // short-term average surprise, calibrated against its own long-run distribution
        shortZ += cfg.shortAlpha() * ((cfg.logZ() == 1 ? Math.log1p(Math.min(z, 1e6)) : Math.min(z, 50.0)) - shortZ);
        double std = Math.sqrt(statVar);
        double lambda = 0.0;
        if (n > cfg.warmup() && std > 0) {
            double u = (shortZ - statMean) / std;
            lambda = -Math.log10(Math.max(Gaussian.q(u), 1e-300));
        }
        double zc = Math.min(z, 1e6);
        if (n > cfg.warmup() && zRecord > 0 && zc > cfg.recordMin() * zRecord) {
            lambda = Math.max(lambda, 8.0 + cfg.recordWeight() * (zc / zRecord - cfg.recordMin()));
        }
        zRecord = Math.max(zRecord * (1.0 - cfg.recordDecay()), n > cfg.warmup() / 2 ? zc : 0.0);
        if (spatial > 0) {
            lambda = cfg.spatialBase() < 0 ? lambda - cfg.spatialBase() + 10.0 * spatial : Math.max(lambda, cfg.spatialBase() + 10.0 * spatial);
        }

        // change point: two-sided CUSUM of the deviation from a slow baseline, in units of its spread
        if (n > cfg.warmup() && slowVar > 0) {
            double u = (x - slowMean) / Math.sqrt(slowVar);
            cusumUp = Math.max(0.0, cusumUp + u - cfg.cusumK());
            cusumDown = Math.max(0.0, cusumDown - u - cfg.cusumK());
            double c = Math.max(cusumUp, cusumDown) / cfg.cusumH();
            if (c > 1.0) {
                lambda = Math.max(lambda, cfg.cusumWeight() * c);
                cusumUp = 0.0;
                cusumDown = 0.0;
            }
        }
        double dSlow = x - slowMean;
        slowMean += cfg.slowAlpha() * dSlow;
        slowVar = (1 - cfg.slowAlpha()) * (slowVar + cfg.slowAlpha() * dSlow * dSlow);

        // learn
        double dS = shortZ - statMean;
        statMean += cfg.statAlpha() * dS;
        statVar = (1 - cfg.statAlpha()) * (statVar + cfg.statAlpha() * dS * dS);
        absErrLevel += (n < cfg.warmup() ? 1.0 / n : cfg.scaleAlpha()) * (Math.abs(x - predLevel) - absErrLevel);
        if (!Double.isNaN(predSeason)) {
            absErrSeason += cfg.scaleAlpha() * (Math.abs(x - predSeason) - absErrSeason);
        }
        level += cfg.levelAlpha() * (x - level);
        min = Math.min(min, x);
        max = Math.max(max, x);
        if (phase >= 0) {
            if (profileVisits <= profileSize) {
                profile[phase] = profileVisits == 0 ? x : profile[phase] + 0.5 * (x - profile[phase]);
            } else {
                profile[phase] += cfg.profileAlpha() * (x - profile[phase]);
            }
            profileVisits++;
            if (profileVisits == profileSize + 1) {
                absErrSeason = absErrLevel;
            }
        }
        if (periods != null && periods.add(x)) {
            adoptPeriod(periods.periodPoints());
        }

        // refractory: inside a burst only a new peak passes at full strength
        double out = cfg.kappa() > 0 ? Math.max(0.0, lambda - cfg.kappa() * peak) : (lambda <= peak ? lambda * cfg.damp() : lambda);
        peak = Math.max(peak * (1.0 - 1.0 / cfg.refractory()), lambda);
        return out / (out + 4.0);
    }

    private void adoptPeriod(int periodPoints) {
        long newPeriod = periodPoints * intervalMillis;
        if (periodPoints == 0 || newPeriod == periodMillis) {
            return;
        }
        periodMillis = newPeriod;
        profileSize = Math.min(periodPoints, PROFILE_MAX);
        profileVisits = 0;
    }

    @Override
    public double expectedLow() {
        return expectedLow;
    }

    @Override
    public double expectedHigh() {
        return expectedHigh;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long footprintBytes() {
        return 16 + 40 * 8 + 16 + 8L * PROFILE_MAX + (periods == null ? 0 : periods.footprintBytes());
    }
}
