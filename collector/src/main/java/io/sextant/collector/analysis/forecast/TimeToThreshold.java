package io.sextant.collector.analysis.forecast;

/**
 * A predicted threshold crossing: the basis of a <em>predicted</em> incident (heap exhaustion, a queue filling).
 *
 * @param atMillis predicted time of the crossing, Unix milliseconds; {@link Long#MAX_VALUE} when none is expected
 * @param steps sampling intervals from the last point to the crossing; -1 when none is expected
 * @param threshold the threshold
 */
public record TimeToThreshold(long atMillis, int steps, double threshold) {

    /** No crossing expected within the horizon looked at. */
    public static final TimeToThreshold NEVER = new TimeToThreshold(Long.MAX_VALUE, -1, Double.NaN);

    public boolean expected() {
        return steps >= 0;
    }
}
