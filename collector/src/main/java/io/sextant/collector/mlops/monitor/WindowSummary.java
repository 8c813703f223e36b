package io.sextant.collector.mlops.monitor;

import io.sextant.collector.mlops.drift.ReferenceKind;
import java.util.List;

/**
 * One closed window of one model version.
 *
 * @param model            model name
 * @param version          model version
 * @param startMs          window start (inclusive), epoch ms
 * @param endMs            window end (exclusive), epoch ms
 * @param requests         inferences in the window
 * @param errors           inferences that failed
 * @param latencyP50Ms     latency quantiles in milliseconds (NaN when no requests); 2 significant digits
 * @param latencyP90Ms     p90
 * @param latencyP99Ms     p99
 * @param latencyP999Ms    p99.9
 * @param latencyMaxMs     max
 * @param reference        what drift was measured against, null when it was not measured
 * @param driftShare       share of drifted input features, NaN when not measured
 * @param datasetDrift     whether the share reached the policy's threshold
 * @param driftedFeatures  names of drifted input features
 * @param predictionDrift  whether the prediction distribution drifted
 */
public record WindowSummary(String model, String version, long startMs, long endMs, long requests, long errors,
                            double latencyP50Ms, double latencyP90Ms, double latencyP99Ms, double latencyP999Ms,
                            double latencyMaxMs, ReferenceKind reference, double driftShare, boolean datasetDrift,
                            List<String> driftedFeatures, boolean predictionDrift) {

    public double errorRate() {
        return requests == 0 ? 0.0 : (double) errors / requests;
    }
}
