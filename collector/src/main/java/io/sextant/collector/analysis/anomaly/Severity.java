package io.sextant.collector.analysis.anomaly;

/** How bad an anomaly is, derived from its score so that every detector maps to the same scale. */
public enum Severity {
    /** Score below 0.5: worth a look, never worth a page. */
    INFO,
    /** Score in [0.5, 0.7). */
    WARNING,
    /** Score of 0.7 and above. */
    CRITICAL;

    /** Severity of a score in [0, 1]. */
    public static Severity of(double score) {
        if (score >= 0.7) {
            return CRITICAL;
        }
        return score >= 0.5 ? WARNING : INFO;
    }
}
