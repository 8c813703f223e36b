package io.sextant.collector.mlops.gate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The rules of a gate, as read from JSON:
 * <pre>
 * {
 *   "metrics": [
 *     {"name": "accuracy", "direction": "higher_is_better", "min": 0.85,
 *      "max_regression_abs": 0.01, "max_regression_rel": 0.02},
 *     {"name": "log_loss", "direction": "lower_is_better", "max": 0.5, "max_regression_rel": 0.05}
 *   ],
 *   "latency_p99_ms": {"max": 50, "max_regression_rel": 0.10},
 *   "drift": {"max_share": 0.5, "max_drifted_features": 3}
 * }
 * </pre>
 * A regression is how much worse the candidate is than the baseline in the metric's direction (baseline -
 * candidate when higher is better); relative regressions divide by |baseline|. Every field is optional;
 * unknown fields are refused so that a misspelt rule cannot silently pass.
 */
public record GateRules(List<MetricRule> metrics, @JsonProperty("latency_p99_ms") MetricRule latencyP99Ms,
                        DriftRule drift) {

    /** Name of the latency metric in evidence and checks. */
    public static final String LATENCY_P99_MS = "latency_p99_ms";

    public GateRules {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /** Which way is better for a metric. */
    public enum Direction {
        @JsonProperty("higher_is_better") HIGHER_IS_BETTER,
        @JsonProperty("lower_is_better") LOWER_IS_BETTER
    }

    /** Bounds on one metric. Null fields are not checked. */
    public record MetricRule(String name, Direction direction, Double min, Double max,
                             @JsonProperty("max_regression_abs") Double maxRegressionAbs,
                             @JsonProperty("max_regression_rel") Double maxRegressionRel) {
    }

    /** Bounds on the candidate's drift against the baseline or its reference. */
    public record DriftRule(@JsonProperty("max_share") Double maxShare,
                            @JsonProperty("max_drifted_features") Integer maxDriftedFeatures) {
    }

    static final ObjectMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();

    public static GateRules read(Path file) throws IOException {
        GateRules rules = JSON.readValue(file.toFile(), GateRules.class);
        for (MetricRule m : rules.metrics()) {
            if (m.name() == null || m.direction() == null) {
                throw new IllegalArgumentException("every metric rule needs a name and a direction "
                    + "(higher_is_better or lower_is_better): " + m);
            }
        }
        return rules;
    }
}
