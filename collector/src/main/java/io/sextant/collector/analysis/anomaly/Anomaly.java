package io.sextant.collector.analysis.anomaly;

import java.util.Map;
import java.util.Objects;

/**
 * One detected anomaly: an immutable record the analysis publishes and the API and correlation stage read.
 *
 * @param id unique id of the anomaly (assigned by whoever publishes it)
 * @param seriesKey the series the anomaly was detected on (metric name plus labels, in the store's canonical form)
 * @param labels the series' labels (service, instance, ...), copied and unmodifiable
 * @param startMillis time of the first anomalous point, Unix milliseconds
 * @param endMillis time of the last anomalous point so far, Unix milliseconds, {@code >= startMillis}
 * @param score peak anomaly score over the span, in [0, 1]
 * @param expectedLow lower bound of the range the detector expected at the peak
 * @param expectedHigh upper bound of the range the detector expected at the peak
 * @param severity severity derived from the score
 * @param detector name of the detector that fired ({@link SeriesDetector#name()})
 */
public record Anomaly(String id, String seriesKey, Map<String, String> labels, long startMillis, long endMillis,
                      double score, double expectedLow, double expectedHigh, Severity severity, String detector) {

    public Anomaly {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(seriesKey, "seriesKey");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(detector, "detector");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("end " + endMillis + " before start " + startMillis);
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score outside [0, 1]: " + score);
        }
    }

    /** The same anomaly extended to a later point, keeping the peak score and its expected range. */
    public Anomaly extendTo(long newEndMillis, double pointScore, double low, double high) {
        long end = Math.max(endMillis, newEndMillis);
        if (pointScore > score) {
            return new Anomaly(id, seriesKey, labels, startMillis, end, pointScore, low, high,
                    Severity.of(pointScore), detector);
        }
        return new Anomaly(id, seriesKey, labels, startMillis, end, score, expectedLow, expectedHigh, severity, detector);
    }
}
