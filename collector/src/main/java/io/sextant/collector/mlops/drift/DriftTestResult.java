package io.sextant.collector.mlops.drift;

/**
 * The outcome of one drift test on one feature.
 *
 * @param feature   feature name (or {@code "prediction"})
 * @param method    the test applied
 * @param value     the value compared with the threshold: a p-value for KS and chi-squared, else the distance
 * @param statistic the test statistic itself (KS D, chi-squared statistic; equal to value for distances)
 * @param threshold the threshold applied
 * @param drifted   whether the value passed the threshold
 * @param score     {@link DriftMethod#score} in [0, 1], 0.5 at the threshold
 * @param referenceCount observations in the reference
 * @param currentCount   observations in the current window
 */
public record DriftTestResult(String feature, DriftMethod method, double value, double statistic, double threshold,
                              boolean drifted, double score, long referenceCount, long currentCount) {
}
