/**
 * Drift statistics: how far a feature's (or the predictions') current distribution has moved from a
 * reference, and whether that counts as drift.
 *
 * <p>The statistics follow Evidently's definitions so that users can compare numbers: two-sample
 * Kolmogorov-Smirnov (exact p-value for small samples), population stability index and Jensen-Shannon
 * distance (natural log) over Sturges bins of the pooled range for numeric data and over categories for
 * categorical data, Wasserstein-1 divided by the reference's standard deviation, and chi-squared. One
 * deliberate difference: chi-squared is the test of homogeneity on the 2 x k table of reference and
 * current counts ({@code scipy.stats.chi2_contingency} without continuity correction) rather than a
 * goodness-of-fit of current counts against reference proportions, so that a category absent from the
 * reference gives a finite statistic.
 *
 * <p>The reference is whatever sketch the caller passes: a training profile registered with a version, a
 * chosen version's window, or {@link io.sextant.collector.mlops.drift.TrailingReference trailing windows}.
 * Results become {@link io.sextant.collector.mlops.drift.DriftRecord}s, anomaly-like records for the
 * correlation stage.
 */
package io.sextant.collector.mlops.drift;
