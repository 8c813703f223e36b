package io.sextant.collector.mlops.monitor;

import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.HashMap;
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

    /** A profile from raw training columns, with default sketch sizes. */
    public static FeatureProfile of(Map<String, double[]> numericColumns, Map<String, String[]> categoricalColumns) {
        Map<String, NumericSketch> num = new HashMap<>();
        numericColumns.forEach((name, values) -> {
            NumericSketch s = new NumericSketch();
            for (double v : values) {
                s.update(v);
            }
            num.put(name, s);
        });
        Map<String, CategoricalSketch> cat = new HashMap<>();
        categoricalColumns.forEach((name, values) -> {
            CategoricalSketch s = new CategoricalSketch();
            for (String v : values) {
                s.update(v);
            }
            cat.put(name, s);
        });
        return new FeatureProfile(num, cat);
    }

    /** The serialisable form (Jackson), as a training pipeline would upload it with a version. */
    public record State(Map<String, NumericSketch.State> numeric, Map<String, CategoricalSketch.State> categorical) {
    }

    public State toState() {
        Map<String, NumericSketch.State> num = new HashMap<>();
        numeric.forEach((k, v) -> num.put(k, v.toState()));
        Map<String, CategoricalSketch.State> cat = new HashMap<>();
        categorical.forEach((k, v) -> cat.put(k, v.toState()));
        return new State(num, cat);
    }

    public static FeatureProfile fromState(State s) {
        Map<String, NumericSketch> num = new HashMap<>();
        if (s.numeric() != null) {
            s.numeric().forEach((k, v) -> num.put(k, NumericSketch.fromState(v)));
        }
        Map<String, CategoricalSketch> cat = new HashMap<>();
        if (s.categorical() != null) {
            s.categorical().forEach((k, v) -> cat.put(k, CategoricalSketch.fromState(v)));
        }
        return new FeatureProfile(num, cat);
    }
}
