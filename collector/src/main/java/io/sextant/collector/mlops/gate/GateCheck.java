package io.sextant.collector.mlops.gate;

/**
 * One check of a gate.
 *
 * @param subject   metric name, {@code latency_p99_ms} or {@code drift}
 * @param kind      {@code min}, {@code max}, {@code max_regression_abs}, {@code max_regression_rel},
 *                  {@code max_share}, {@code max_drifted_features}, or {@code present}
 * @param candidate the candidate's value (NaN when missing)
 * @param baseline  the baseline's value (NaN when not used or missing)
 * @param observed  the value compared with the limit (the candidate's, or the regression)
 * @param limit     the bound from the rules
 * @param outcome   PASS, FAIL or SKIPPED (the baseline lacks the metric, so a regression cannot be computed)
 * @param message   a readable sentence
 */
public record GateCheck(String subject, String kind, double candidate, double baseline, double observed, double limit,
                        Outcome outcome, String message) {

    /** Result of a check. */
    public enum Outcome {
        PASS, FAIL, SKIPPED
    }
}
