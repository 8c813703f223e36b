package io.sextant.collector.analysis.anomaly;

import java.util.Map;

/**
 * Turns one series' per-point scores into {@link Anomaly} records: a point scoring at or above
 * {@code openThreshold} opens an anomaly (or extends the open one); the anomaly closes after
 * {@code closeAfterQuietPoints} points in a row below the threshold.
 *
 * <p>Ids are {@code <seriesKey>@<startMillis>}, so replaying the journal yields the same ids. Nothing is
 * allocated for points below the threshold while no anomaly is open; a record is allocated when an anomaly
 * opens or its span grows. Threading: owned by the series' analysis thread, like its detector.
 */
public final class AnomalyTracker {

    /** Score from which a sextant score is an anomaly (the NAB-optimal threshold of the detector is about 0.455). */
    public static final double DEFAULT_OPEN_THRESHOLD = 0.45;
    public static final int DEFAULT_CLOSE_AFTER_QUIET_POINTS = 10;

    private final String seriesKey;
    private final Map<String, String> labels;
    private final String detector;
    private final double openThreshold;
    private final int closeAfterQuietPoints;
    private Anomaly open;
    private int quiet;

    public AnomalyTracker(String seriesKey, Map<String, String> labels, String detector, double openThreshold,
                          int closeAfterQuietPoints) {
        this.seriesKey = seriesKey;
        this.labels = Map.copyOf(labels);
        this.detector = detector;
        this.openThreshold = openThreshold;
        this.closeAfterQuietPoints = closeAfterQuietPoints;
    }

    /**
     * Feeds the score of the point at {@code timestampMillis} and the range the detector expected for it.
     *
     * @return the anomaly this point opened or extended, or null when the point changed nothing to publish
     */
    public Anomaly update(long timestampMillis, double score, double expectedLow, double expectedHigh) {
        if (score >= openThreshold) {
            quiet = 0;
            if (open == null) {
                open = new Anomaly(seriesKey + "@" + timestampMillis, seriesKey, labels, timestampMillis,
                        timestampMillis, score, expectedLow, expectedHigh, Severity.of(score), detector);
            } else {
                open = open.extendTo(timestampMillis, score, expectedLow, expectedHigh);
            }
            return open;
        }
        if (open != null && ++quiet >= closeAfterQuietPoints) {
            open = null;
            quiet = 0;
        }
        return null;
    }

    /** The anomaly currently open, or null. */
    public Anomaly current() {
        return open;
    }
}
