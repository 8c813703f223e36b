package io.sextant.collector.analysis.anomaly;

/**
 * Sextant's default detector: an ensemble of a seasonal baseline, a change-point test and a range model,
 * whose surprises are calibrated against the series' own history so that one threshold fits every series.
 *
 * <p>Per point, before learning from it:
 * <ol>
 *   <li><b>Prediction.</b> Two predictors forecast the point: a fast exponentially weighted level, and, once
 *       {@link PeriodFinder} has found a period in the decimated history (autocorrelation; daily and weekly
 *       rhythms are found, not configured), a seasonal profile indexed by phase. Each residual is scaled by its
 *       predictor's running mean absolute error. The seasonal residual is taken against the nearest profile
 *       value within a small phase tolerance (daily events jitter by minutes). It is used when the profile
 *       predicts clearly better than the level; otherwise the smaller of the two (the point must surprise
 *       both).</li>
 *   <li><b>Calibration.</b> The surprise {@code log(1 + |z|)}, lightly smoothed, is compared with its own
 *       running mean and spread (a long exponential window): its Gaussian tail probability {@code p} gives
 *       {@code lambda = -log10(p)}, the series-relative rarity of the surprise (the idea behind NAB's
 *       "anomaly likelihood").</li>
 *   <li><b>Range.</b> A value beyond everything seen so far by more than a margin of the range, that is also
 *       a surprise to the predictor, is rare by construction: {@code lambda >= 8 + 10 * excess}.</li>
 *   <li><b>Change point.</b> A two-sided CUSUM of the deseasonalised value's deviation from a slow baseline
 *       (in units of the baseline's spread) catches level shifts too gradual for the point surprise; it resets
 *       when it fires.</li>
 *   <li><b>Distribution shift.</b> {@link ShiftTest} compares the recent distribution of the values with the
 *       long-run one at a few tracked quantiles (a Kolmogorov-Smirnov-style statistic, calibrated like the
 *       surprise): the body of the values moving inside the usual range, which no single point shows.</li>
 *   <li><b>Silence.</b> {@link ActivityTest} treats the excursions of a spiky series as a Poisson process of
 *       bursts and fires once when a silence becomes rare against the mean gap between bursts (a batch job that
 *       stops): each silent point is the series' usual value, so nothing else sees it.</li>
 *   <li><b>Refractory.</b> Within one event only what exceeds the decaying peak of recent surprises passes,
 *       so an incident raises one alert, not one per point (a change point is only half suppressed).</li>
 *   <li><b>Recurrence.</b> An alarm at a phase of the detected cycle where two earlier alarms happened (or
 *       three, at half the cycle: the autocorrelation often picks twice the true period) is a routine event of
 *       the series (a nightly job, a daily spike drifting by minutes) and is damped. Alarm times, not phases,
 *       are remembered, so the memory survives a re-estimated period.</li>
 *   <li><b>Rhythm.</b> An alarm that follows an earlier alarm by the same gap (within 1%, at least
 *       {@link #RHYTHM_MIN} intervals) as that one followed another is damped the same way: the alarm process's
 *       own period, found where the values show no cycle (a nightly job in a flat or spiky series).</li>
 * </ol>
 * The score is {@code lambda / (lambda + 4)}: 0.5 means a surprise this series shows once in 10^4 points.
 *
 * <p>Cost: O(1) per point (the period search runs once per 16 bins, amortised to a few hundred operations per
 * point); no allocation after the first 16 points; about 13 KiB per series ({@link #footprintBytes()}).
 * Threading and lifecycle as in {@link SeriesDetector}.
 */
public final class SextantDetector implements SeriesDetector {

    public static final String NAME = "sextant";
    /** Surprise (lambda) from which an alarm's phase is remembered for the recurrence test. */
    static final double REC_LEVEL = 2.5;
    /** Phase tolerance of the recurrence test, as a fraction of the period. */
    static final double REC_TOL = 0.02;
    /** Earlier alarms at the same phase that make an alarm routine. */
    static final int REC_MIN = 2;
    /** Factor applied to a routine alarm's surprise. */
    static final double REC_FACTOR = 0.15;

    /** Also test recurrence at half the period (the autocorrelation often picks twice the true cycle). */
    static final boolean REC_HALF = true;
    static final int PERIOD_BINS = 512;
    static final int PROFILE_MAX = 1024;
    /** The period search keeps this much history (decimated into {@link #PERIOD_BINS} bins). */
    static final long HISTORY_TARGET_MILLIS = 14L * 24 * 3600 * 1000;
    static final int PERIOD_RECHECK_BINS = 16;
    static final long CHANGE_HISTORY_MILLIS = 2L * 24 * 3600 * 1000;
    static final double PERIOD_MIN_CORRELATION = 0.3;
    /** Time constant, in points, of the distribution-shift test's recent window. */
    static final int SHIFT_SHORT = 64;
    /** Time constant, in points, of the distribution-shift test's long-run window. */
    static final int SHIFT_LONG = 2000;
    /** Step of the shift test's quantile thresholds, as a fraction of the series' running scale. */
    static final double SHIFT_STEP = 0.01;
    /** Smallest gap between two alarms, in sampling intervals, that can make a rhythm of the alarm process. */
    static final int RHYTHM_MIN = 100;
    /** Relative tolerance within which two gaps between alarms count as the same rhythm. */
    static final double RHYTHM_TOL = 0.01;
    /**
     * Excursion distance of the silence test, in mean absolute deviations (NAB: k 4 to 6 with h 8 to 12 all score
     * 75.2 to 75.9; k 3 and h 4 to 6 add false alarms).
     */
    static final double ACT_K = 5.0;
    /** Rarity (lambda) of a silence, against the mean gap between bursts, at which the silence test fires. */
    static final double ACT_H = 10.0;
    /** Time constant, in points, of the silence test's scale and excursion rate. */
    static final int ACT_LONG = 2000;
    /** Time constant, in bursts, of the silence test's mean gap. */
    static final int ACT_GAPS = 20;
    /** Bursts seen before the silence test answers. */
    static final int ACT_MIN_BURSTS = 10;
    /** Lambda given to a silence (a score of 2/3 before the refractory and recurrence damping). */
    static final double ACT_WEIGHT = 8.0;

    /**
     * Tunables. One configuration serves every series; the defaults were chosen on the NAB corpus as a whole,
     * never per file.
     *
     * @param levelAlpha smoothing of the fast level predictor
     * @param errorAlpha smoothing of the predictors' mean absolute errors (the residual scales)
     * @param rarityAlpha smoothing of the running distribution the surprise is calibrated against
     * @param profileAlpha smoothing of each phase of the seasonal profile
     * @param surpriseAlpha smoothing of the surprise before calibration
     * @param warmupPoints points learnt before any score is given
     * @param rangeMargin excess beyond the seen range, as a fraction of the range, that counts as new
     * @param rangeGate minimum |z| for a value beyond the range to count
     * @param seasonalPreference the seasonal residual is used alone when its error is below this fraction of
     *                           the level predictor's error
     * @param slowAlpha smoothing of the change-point test's baseline mean and variance
     * @param cusumK CUSUM allowance, in baseline standard deviations
     * @param cusumH CUSUM decision interval, in baseline standard deviations
     * @param cusumWeight lambda given to a CUSUM alarm, times the statistic over {@code cusumH}
     * @param refractoryPoints time constant of the decaying peak that suppresses repeats within an event
     * @param phaseTolerance the seasonal residual looks {@code profileSize / phaseTolerance} phases either side
     *                       (0: the exact phase only)
     */
    public record Config(double levelAlpha, double errorAlpha, double rarityAlpha, double profileAlpha,
                         double surpriseAlpha, int warmupPoints, double rangeMargin, double rangeGate,
                         double seasonalPreference, double slowAlpha, double cusumK, double cusumH,
                         double cusumWeight, int refractoryPoints, int phaseTolerance) {

        public static final Config DEFAULT = new Config(0.2, 0.003, 0.001, 0.25, 0.6, 60, 0.05, 2.0, 0.7,
                0.003, 0.5, 15.0, 4.0, 100, 96);
    }

    private final Config cfg;
    private final double[] profile = new double[PROFILE_MAX];
    private PeriodFinder periods;
    private final ShiftTest shift = new ShiftTest(SHIFT_SHORT, SHIFT_LONG, SHIFT_STEP, 0.001, 60);
    private final ActivityTest activity = new ActivityTest(ACT_K, ACT_H, ACT_LONG, ACT_GAPS, ACT_MIN_BURSTS);
    private long n;
    private long firstMillis;
    private long lastMillis;
    private long intervalMillis;
    private long periodMillis;
    private int profileSize;
    private int profileVisits;
    private double profileSum;

    private double level;
    private double min;
    private double max;
    private double errLevel;
    private double errSeason;
    private double surprise;
    private double rarityMean;
    private double rarityVar;
    private double slowMean;
    private double slowVar;
    private long slowCount;
    private long pointsAtChangeHistory;
    private double cusumUp;
    private double cusumDown;
    private double peak;
    private final long[] alarmTimes = new long[16];
    private int alarmHead;
    private int alarmCount;
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
            // one-time allocation once the sampling interval is known
            long pointsPerBin = Math.max(1, (HISTORY_TARGET_MILLIS / intervalMillis + PERIOD_BINS - 1) / PERIOD_BINS);
            periods = new PeriodFinder(PERIOD_BINS, (int) Math.min(pointsPerBin, 1 << 20), PERIOD_RECHECK_BINS,
                    PERIOD_MIN_CORRELATION);
        }
        boolean warm = n > cfg.warmupPoints();

        // 1. prediction, before seeing x
        int phase = -1;
        double predSeason = Double.NaN;
        if (profileSize > 0) {
            phase = (int) (Math.floorMod(t - firstMillis, periodMillis) * profileSize / periodMillis);
            if (profileVisits > profileSize) {
                predSeason = profile[phase];
            }
        }
        double floor = 1e-9 + 1e-6 * Math.max(Math.abs(max), Math.abs(min));
        double scaleLevel = Math.max(errLevel * 1.25, floor);
        double z = Math.abs(x - level) / scaleLevel;
        if (!Double.isNaN(predSeason)) {
            double scaleSeason = Math.max(errSeason * 1.25, floor);
            // nearest profile value within a small phase tolerance: daily events jitter by a few minutes
            double nearest = Math.abs(x - predSeason);
            int k = cfg.phaseTolerance() > 0 ? profileSize / cfg.phaseTolerance() : 0;
            for (int j = -k; j <= k; j++) {
                double d = Math.abs(x - profile[Math.floorMod(phase + j, profileSize)]);
                if (d < nearest) {
                    nearest = d;
                }
            }
            double zSeason = nearest / scaleSeason;
            if (errSeason < cfg.seasonalPreference() * errLevel || zSeason < z) {
                z = zSeason;
            }
            expectedLow = predSeason - 3 * scaleSeason;
            expectedHigh = predSeason + 3 * scaleSeason;
        } else {
            expectedLow = level - 3 * scaleLevel;
            expectedHigh = level + 3 * scaleLevel;
        }

        // 2. calibration against the series' own history of surprises
        surprise += cfg.surpriseAlpha() * (Math.log1p(Math.min(z, 1e6)) - surprise);
        double lambda = 0.0;
        double spread = Math.sqrt(rarityVar);
        if (warm && spread > 0) {
            lambda = -Math.log10(Math.max(Gaussian.q((surprise - rarityMean) / spread), 1e-300));
        }

        // 3. range
        double range = max - min;
        if (warm && range > 0 && z >= cfg.rangeGate()) {
            double excess = Math.max(x - max, min - x) / range;
            if (excess > cfg.rangeMargin()) {
                lambda = Math.max(lambda, 8.0 + 10.0 * excess);
            }
        }

        // 4. change point
        double lambdaChange = 0.0;
        // the baseline follows the deseasonalised value, so a daily cycle is not a change point
        double xd = Double.isNaN(predSeason) ? x : x - (predSeason - profileSum / profileSize);
        // before two days of history a daily cycle cannot be told from a change, unless the cycle is learnt
        // (and the period search is given up to half a day more to look at that history and find the cycle)
        if (pointsAtChangeHistory == 0 && t - firstMillis >= CHANGE_HISTORY_MILLIS) {
            pointsAtChangeHistory = n;
        }
        boolean deseasonalised = profileSize > 0 ? !Double.isNaN(predSeason)
                : pointsAtChangeHistory > 0 && (periods == null || periods.checkedPoints() >= pointsAtChangeHistory
                        || n >= pointsAtChangeHistory + pointsAtChangeHistory / 4);
        if (warm && deseasonalised && slowCount >= cfg.warmupPoints() && slowVar > 0) {
            double u = (xd - slowMean) / Math.sqrt(slowVar);
            cusumUp = Math.max(0.0, cusumUp + u - cfg.cusumK());
            cusumDown = Math.max(0.0, cusumDown - u - cfg.cusumK());
            double c = Math.max(cusumUp, cusumDown) / cfg.cusumH();
            if (c > 1.0) {
                lambdaChange = cfg.cusumWeight() * c;
                lambda = Math.max(lambda, lambdaChange);
                cusumUp = 0.0;
                cusumDown = 0.0;
            }
        }

        // 4b. distribution shift of the recent values against the long run (ShiftTest)
        double lambdaShift = shift.update(x);
        if (warm) {
            lambda = Math.max(lambda, lambdaShift);
        }

        // 4c. silence of a steady burst process (ActivityTest): fires once, like a change point
        double lambdaSilence = activity.update(x) > 0 && warm ? ACT_WEIGHT : 0.0;
        lambda = Math.max(lambda, lambdaSilence);
        lambdaChange = Math.max(lambdaChange, lambdaSilence);

        // learn from x
        // exponential windows start as plain running averages (alpha = 1/n): no start-up bias toward zero
        double ra = Math.max(cfg.rarityAlpha(), 1.0 / n);
        double ds = surprise - rarityMean;
        rarityMean += ra * ds;
        rarityVar = (1 - ra) * (rarityVar + ra * ds * ds);
        double sa = Math.max(cfg.slowAlpha(), 1.0 / ++slowCount);
        double dSlow = xd - slowMean;
        slowMean += sa * dSlow;
        slowVar = (1 - sa) * (slowVar + sa * dSlow * dSlow);
        errLevel += (warm ? cfg.errorAlpha() : 1.0 / n) * (Math.abs(x - level) - errLevel);
        if (!Double.isNaN(predSeason)) {
            errSeason += cfg.errorAlpha() * (Math.abs(x - predSeason) - errSeason);
        }
        level += cfg.levelAlpha() * (x - level);
        min = Math.min(min, x);
        max = Math.max(max, x);
        if (phase >= 0) {
            // the first pass over a new period sets the profile, the second averages, later passes adapt slowly
            double a = profileVisits < profileSize ? 1.0 : profileVisits < 2 * profileSize ? 0.5 : cfg.profileAlpha();
            double delta = a * (x - profile[phase]);
            profile[phase] += delta;
            profileSum += delta;
            profileVisits++;
            if (profileVisits == profileSize + 1) {
                errSeason = errLevel;
                {
                    // from now on the change test sees deseasonalised values: start its baseline afresh
                    slowCount = 0;
                    slowMean = 0.0;
                    slowVar = 0.0;
                    cusumUp = 0.0;
                    cusumDown = 0.0;
                }
            }
        }
        if (periods != null && periods.add(x)) {
            adoptPeriod(periods.periodPoints());
        }

        // 5. refractory
        double out = Math.max(0.0, lambda - peak);
        // a change point is a different kind of news than the point surprises before it: half suppressed only
        out = Math.max(out, lambdaChange - 0.5 * peak);
        peak = Math.max(peak * (1.0 - 1.0 / cfg.refractoryPoints()), lambda);
        // 6. recurrence: an alarm at a phase of the cycle where alarms already happened twice is a routine
        // event of this series (a nightly job, a daily spike that drifts by minutes), not news
        if (out >= REC_LEVEL) {
            // alarm times are kept, not phases, so the memory survives a re-estimated period
            long age = t - firstMillis;
            int same = 0;
            int sameHalf = 0;
            for (int j = 0; j < alarmCount; j++) {
                long gap = age - alarmTimes[j];
                if (periodMillis > 0 && nearMultiple(gap, periodMillis)) {
                    same++;
                }
                if (REC_HALF && nearMultiple(gap, periodMillis / 2)) {
                    sameHalf++;
                }
            }
            // 7. rhythm of the alarm process itself: this alarm follows an earlier one by the same gap as that one
            // followed another (a job every night at about the same time, in a series too spiky or too flat for
            // the period search to see any cycle): the third of three evenly spaced alarms is routine
            boolean rhythm = false;
            for (int j = 0; j < alarmCount && !rhythm; j++) {
                long g = age - alarmTimes[j];
                if (g < RHYTHM_MIN * intervalMillis) {
                    continue;
                }
                for (int i = 0; i < alarmCount; i++) {
                    long g2 = alarmTimes[j] - alarmTimes[i];
                    if (g2 > 0 && Math.abs(g2 - g) <= RHYTHM_TOL * g) {
                        rhythm = true;
                        break;
                    }
                }
            }
            alarmTimes[alarmHead] = age;
            alarmHead = (alarmHead + 1) % alarmTimes.length;
            alarmCount = Math.min(alarmCount + 1, alarmTimes.length);
            if (same >= REC_MIN || sameHalf >= REC_MIN + 1 || rhythm) {
                out *= REC_FACTOR;
            }
        }
        return out / (out + 4.0);
    }

    private void adoptPeriod(int periodPoints) {
        long newPeriod = periodPoints * intervalMillis;
        // hysteresis: a re-estimate within 10% of the current period keeps the learnt profile, and so does one
        // near a multiple of it while the profile predicts well (a daily cycle also correlates at two days)
        if (periodPoints == 0) {
            return;
        }
        if (periodMillis > 0) {
            long k = Math.max(1, Math.round((double) newPeriod / periodMillis));
            boolean near = Math.abs(newPeriod - k * periodMillis) * 10 <= k * periodMillis;
            boolean good = profileVisits > profileSize && errSeason < errLevel;
            if (near && (k == 1 || good)) {
                return;
            }
        }
        periodMillis = newPeriod;
        profileSize = Math.min(periodPoints, PROFILE_MAX);
        profileVisits = 0;
        profileSum = 0.0;
        java.util.Arrays.fill(profile, 0.0);
    }

    /** Whether a time gap is within the recurrence tolerance of a whole (non-zero) number of periods. */
    private static boolean nearMultiple(long gap, long period) {
        if (period <= 0) {
            return false;
        }
        long k = Math.max(1, Math.round((double) gap / period));
        return Math.abs(gap - k * period) <= REC_TOL * period;
    }

    /** Period in milliseconds the detector currently models, or 0 when it found none. */
    public long periodMillis() {
        return periodMillis;
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
        // header + 32 fields (8 bytes each, references counted as 8), the profile and alarm arrays, the period finder,
        // the shift test
        return 16 + 32L * 8 + 16 + 8L * PROFILE_MAX + 16 + 8L * alarmTimes.length
                + (periods == null ? 0 : periods.footprintBytes()) + shift.footprintBytes()
                + activity.footprintBytes();
    }
}
