package io.sextant.demo;

/**
 * Which fault is active at a point in the demo's cycle. The cycle repeats; in each one the service
 * runs clean, then suffers, in turn: GC pressure, a latency spike, an error burst, a feature drift
 * (which persists to the end of the cycle), and a rollout of a worse model version that is rolled
 * back before the cycle ends. Times are fractions of the cycle so that a short cycle (for tests)
 * keeps the same shape.
 *
 * <p>The first fault never comes sooner than {@link #CLEAN_START_MILLIS} after the start: the
 * collector's detectors learn each series from its first 60 samples (one a second by default), and a
 * fault inside that warm-up would be learnt as normal rather than found. A long cycle's clean first
 * phase already covers it; a short one starts after a lead-in of clean running.
 */
final class FaultSchedule
{
    enum Fault
    {
        NONE, GC_PRESSURE, LATENCY_SPIKE, ERROR_BURST, FEATURE_DRIFT, BAD_ROLLOUT
    }

    /** Clean running before the first fault. */
    static final long CLEAN_START_MILLIS = 90_000;
    private static final double FIRST_FAULT_PHASE = 0.15;

    private final long cycleMillis;
    private final long leadInMillis;

    FaultSchedule(final long cycleMillis)
    {
        this.cycleMillis = cycleMillis;
        this.leadInMillis = Math.max(0, CLEAN_START_MILLIS - (long)(FIRST_FAULT_PHASE * cycleMillis));
    }

    /** @return clean running added before the first cycle (0 when the cycle's clean phase is long enough). */
    long leadInMillis()
    {
        return leadInMillis;
    }

    /** @return where in its cycle the demo is, 0 to 1; negative during the lead-in. */
    private double phase(final long elapsedMillis)
    {
        if (elapsedMillis < leadInMillis)
        {
            return -1;
        }
        return ((elapsedMillis - leadInMillis) % cycleMillis) / (double)cycleMillis;
    }

    long cycleMillis()
    {
        return cycleMillis;
    }

    /**
     * @param elapsedMillis time since the demo started.
     * @return the fault active at that time (the bad rollout is reported separately, see
     *         {@link #badVersionServing}).
     */
    Fault at(final long elapsedMillis)
    {
        final double phase = phase(elapsedMillis);
        if (phase >= FIRST_FAULT_PHASE && phase < 0.22)
        {
            return Fault.GC_PRESSURE;
        }
        if (phase >= 0.30 && phase < 0.36)
        {
            return Fault.LATENCY_SPIKE;
        }
        if (phase >= 0.45 && phase < 0.50)
        {
            return Fault.ERROR_BURST;
        }
        if (phase >= 0.60)
        {
            return Fault.FEATURE_DRIFT;
        }
        return Fault.NONE;
    }

    /**
     * @param elapsedMillis time since the demo started.
     * @return true while the worse model version serves production.
     */
    boolean badVersionServing(final long elapsedMillis)
    {
        final double phase = phase(elapsedMillis);
        return phase >= 0.75 && phase < 0.90;
    }

    /**
     * @param elapsedMillis time since the demo started.
     * @return the drift factor for the feature generator: 0 normally, 1 during the drift phase.
     */
    double drift(final long elapsedMillis)
    {
        return at(elapsedMillis) == Fault.FEATURE_DRIFT ? 1.0 : 0.0;
    }
}
