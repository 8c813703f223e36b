package io.sextant.collector.mlops.drift;

/**
 * How serious a drift record is: NONE below the threshold, WARNING past it, CRITICAL when the score is at
 * least 0.7 (the anomaly stage's CRITICAL boundary, so drift and metric anomalies share one scale).
 */
public enum Severity {
    NONE, WARNING, CRITICAL;

    /** Score 0.7 is a distance 7/3 times its threshold, or a p-value equal to the threshold to the power 7/3. */
    public static Severity of(boolean drifted, double score) {
        if (!drifted) {
            return NONE;
        }
        return score >= 0.7 ? CRITICAL : WARNING;
    }
}
