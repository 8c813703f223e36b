package io.sextant.demo;

/**
 * Which fault is active at a point in the demo's cycle. The cycle repeats; in each one the service
 * runs clean, then suffers, in turn: GC pressure, a latency spike, an error burst, a feature drift
 * (which persists to the end of the cycle), and a rollout of a worse model version that is rolled
 * back before the cycle ends. Times are fractions of the cycle so that a short cycle (for tests)
 * keeps the same shape.
 */
final class FaultSchedule
{
    enum Fault
    {
        NONE, GC_PRESSURE, LATENCY_SPIKE, ERROR_BURST, FEATURE_DRIFT, BAD_ROLLOUT
    }

    private final long cycleMillis;

    FaultSchedule(final long cycleMillis)
    {
        this.cycleMillis = cycleMillis;
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
        final double phase = (elapsedMillis % cycleMillis) / (double)cycleMillis;
        if (phase >= 0.15 && phase < 0.22)
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
        final double phase = (elapsedMillis % cycleMillis) / (double)cycleMillis;
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
