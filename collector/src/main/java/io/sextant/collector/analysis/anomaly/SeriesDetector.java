package io.sextant.collector.analysis.anomaly;

/**
 * Streaming anomaly detector for one series.
 *
 * <p>Threading: not thread-safe. Exactly one thread (the analysis thread that owns the series) calls every
 * method. Lifecycle: create one per series, feed points in timestamp order, drop it with the series.
 *
 * <p>Contract of {@link #update}: O(1) time, no allocation after construction, no look-ahead. The score it
 * returns is in [0, 1]; higher means more anomalous. Scores of different series are comparable, so one
 * threshold serves all series.
 */
public interface SeriesDetector {

    /**
     * Feeds the next point of the series and returns its anomaly score.
     *
     * @param timestampMillis the point's time, Unix milliseconds, non-decreasing from call to call
     * @param value the point's value; a NaN or infinite value is ignored and scores 0
     * @return the anomaly score of this point, in [0, 1]
     */
    double update(long timestampMillis, double value);

    /** Lower bound of the range the detector expected for the last point fed (NaN before any expectation). */
    double expectedLow();

    /** Upper bound of the range the detector expected for the last point fed (NaN before any expectation). */
    double expectedHigh();

    /** Stable detector name, used in results and in {@link Anomaly#detector()}. */
    String name();

    /** Bytes this detector retains on the heap (object headers, fields and arrays), estimated from its layout. */
    long footprintBytes();
}
