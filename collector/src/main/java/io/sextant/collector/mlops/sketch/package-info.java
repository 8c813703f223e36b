/**
 * Mergeable, bounded-memory sketches of feature and prediction distributions.
 *
 * <p>{@link io.sextant.collector.mlops.sketch.NumericSketch} keeps every value exactly while a window is
 * small (so small-sample tests such as Kolmogorov-Smirnov are exact) and a fixed-bin-count histogram over
 * a learned range once it is large. {@link io.sextant.collector.mlops.sketch.CategoricalSketch} keeps
 * counts for the first {@code k} categories it sees and an "other" bucket. Both update without allocating
 * after construction, merge deterministically, and turn into a {@link io.sextant.collector.mlops.sketch.Cdf}
 * or category counts for the drift statistics.
 */
package io.sextant.collector.mlops.sketch;
