/**
 * Streaming anomaly detection on single metric series.
 *
 * <p>A {@link io.sextant.collector.analysis.anomaly.SeriesDetector} holds the state for one series and is
 * fed one point at a time by the single analysis thread that owns the series; it never looks ahead and never
 * sees labels. {@code update} is O(1) per point, allocates nothing after construction and keeps its state in
 * a fixed number of primitive arrays, so memory per series is bounded and known
 * ({@link io.sextant.collector.analysis.anomaly.SeriesDetector#footprintBytes()}).
 *
 * <p>{@link io.sextant.collector.analysis.anomaly.SextantDetector} is the default detector;
 * {@link io.sextant.collector.analysis.anomaly.WindowedGaussianDetector} is the comparison baseline (NAB's
 * {@code windowedGaussian}). {@link io.sextant.collector.analysis.anomaly.MultivariateDetector} scores rows of
 * several series of one service or JVM with an isolation forest retrained off the hot path. {@link io.sextant.collector.analysis.anomaly.Anomaly} is the immutable record the
 * pipeline publishes when a score crosses its threshold.
 */
package io.sextant.collector.analysis.anomaly;
