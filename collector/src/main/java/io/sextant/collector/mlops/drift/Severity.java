package io.sextant.collector.mlops.drift;

/** How serious a drift record is: NONE below the threshold, WARNING past it, CRITICAL when the score is at least 0.75. */
public enum Severity {
    NONE, WARNING, CRITICAL;

    /** Score 0.75 is a distance three times its threshold, or a p-value equal to the threshold cubed. */
    public static Severity of(boolean drifted, double score) {
        if (!drifted) {
            return NONE;
        }
        return score >= 0.75 ? CRITICAL : WARNING;
    }
}
