package io.sextant.collector.mlops.monitor;

import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.Map;

/**
 * A reference distribution for every feature of a model (and optionally its predictions, under the names
 * {@link ModelMonitor#PREDICTION} and {@link ModelMonitor#SCORE}): the training-data profile registered
 * with a version. Immutable by convention: the monitor only reads the sketches.
 */
public record FeatureProfile(Map<String, NumericSketch> numeric, Map<String, CategoricalSketch> categorical) {

    public FeatureProfile {
        numeric = Map.copyOf(numeric);
        categorical = Map.copyOf(categorical);
    }
}
