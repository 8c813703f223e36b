package io.sextant.collector.mlops.drift;

/**
 * A drift result as an anomaly-like record: what the correlation stage consumes and the API serves.
 *
 * @param id            stable name-based id (same inputs, same id)
 * @param model         model name
 * @param version       model version evaluated
 * @param feature       feature name, {@code "prediction"}, or {@code "*"} for the dataset share
 * @param statistic     {@link DriftMethod#id()} or {@code "drift_share"}
 * @param value         the value compared with the threshold (a p-value for ks and chisquare)
 * @param testStatistic the test statistic itself (KS D, chi-squared statistic)
 * @param threshold     threshold applied
 * @param reference     what the window was compared against
 * @param windowStartMs window start, epoch milliseconds, inclusive
 * @param windowEndMs   window end, epoch milliseconds, exclusive
 * @param score         anomaly score in [0, 1], 0.5 at the threshold
 * @param severity      NONE, WARNING or CRITICAL (NONE maps to the anomaly stage's INFO)
 * @param drifted       whether the threshold was passed
 */
public record DriftRecord(String id, String model, String version, String feature, String statistic, double value,
                          double testStatistic, double threshold, ReferenceKind reference, long windowStartMs,
                          long windowEndMs, double score, Severity severity, boolean drifted) {

    /** Series key for the anomaly stage: one series per model, version, feature and statistic. */
    public String seriesKey() {
        return "mlops.drift{feature=" + feature + ",model=" + model + ",statistic=" + statistic + ",version=" + version + "}";
    }

    /** Labels for the anomaly stage. */
    public java.util.Map<String, String> labels() {
        return java.util.Map.of("model", model, "version", version, "feature", feature, "statistic", statistic);
    }

    /** Detector name for the anomaly stage. */
    public String detector() {
        return "drift:" + statistic;
    }
}
