package io.sextant.collector.mlops.feed;

import java.util.Map;

/**
 * A MODEL_EVENT an agent sent: a version registered, deployed, promoted or rolled back.
 *
 * @param key             unique and stable across replays: {@code agentId/sessionId/sequence} of the frame
 * @param service         the agent's service
 * @param instance        the agent id
 * @param timeMillis      when it happened (agent clock), Unix epoch milliseconds
 * @param kind            {@code REGISTER}, {@code DEPLOY}, {@code PROMOTE} or {@code ROLLBACK}
 * @param model           model name
 * @param version         the version concerned (for ROLLBACK the version rolled back to)
 * @param stage           alias such as {@code production}; "" for REGISTER
 * @param previousVersion the version that served before, "" when not given
 * @param datasetId       training dataset id, "" when none
 * @param datasetHash     dataset content hash in hex, "" when none
 * @param artifactDigest  artifact digest in hex, "" when none
 * @param parameters      training parameters
 * @param metrics         training metrics
 */
public record ModelEventRecord(String key, String service, String instance, long timeMillis, String kind, String model,
                               String version, String stage, String previousVersion, String datasetId,
                               String datasetHash, String artifactDigest, Map<String, String> parameters,
                               Map<String, Double> metrics) {

    public ModelEventRecord {
        parameters = Map.copyOf(parameters);
        metrics = Map.copyOf(metrics);
    }
}
