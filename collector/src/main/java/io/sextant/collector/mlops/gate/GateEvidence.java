package io.sextant.collector.mlops.gate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What is known about one version for a gate.
 *
 * @param metrics         quality metrics by name ({@code accuracy}, {@code log_loss}, {@code mae}, ...)
 * @param latencyP99Ms    p99 latency in milliseconds over the compared window, or null
 * @param driftShare      share of drifted features, or null when drift was not evaluated
 * @param driftedFeatures names of the drifted features
 */
public record GateEvidence(Map<String, Double> metrics, @JsonProperty("latency_p99_ms") Double latencyP99Ms,
                           @JsonProperty("drift_share") Double driftShare,
                           @JsonProperty("drifted_features") List<String> driftedFeatures) {

    public GateEvidence {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        driftedFeatures = driftedFeatures == null ? List.of() : List.copyOf(driftedFeatures);
    }

    Double metric(String name) {
        if (GateRules.LATENCY_P99_MS.equals(name)) {
            return latencyP99Ms;
        }
        return metrics.get(name);
    }
}
