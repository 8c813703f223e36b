package io.sextant.collector.mlops.registry;

import java.util.Map;

/**
 * A registered model version.
 *
 * @param model           model name
 * @param version         version label, unique within the model
 * @param datasetId       training dataset id (must be registered), or null
 * @param datasetHash     the dataset's content hash at training time (must match the registered one)
 * @param params          training parameters
 * @param trainingMetrics metrics measured at training time (e.g. accuracy on the validation set)
 * @param artifactDigest  digest of the model artifact, e.g. {@code sha256:...}
 * @param registeredAtMs  epoch milliseconds
 * @param actor           who registered it
 */
public record ModelVersion(String model, String version, String datasetId, String datasetHash,
                           Map<String, String> params, Map<String, Double> trainingMetrics, String artifactDigest,
                           long registeredAtMs, String actor) {

    public ModelVersion {
        params = params == null ? Map.of() : Map.copyOf(params);
        trainingMetrics = trainingMetrics == null ? Map.of() : Map.copyOf(trainingMetrics);
    }
}
