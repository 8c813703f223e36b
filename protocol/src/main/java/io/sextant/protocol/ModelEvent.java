package io.sextant.protocol;

import java.util.Map;

/**
 * MODEL_EVENT: a model version was registered, deployed, promoted or rolled back.
 *
 * @param timeMillis      when, Unix epoch milliseconds.
 * @param kind            what happened.
 * @param model           model name.
 * @param version         the version concerned (for ROLLBACK: the version rolled back to).
 * @param stage           alias or stage such as "production"; empty for REGISTER.
 * @param previousVersion the version that served before, for PROMOTE and ROLLBACK; else empty.
 * @param datasetId       training dataset id.
 * @param datasetHash     content hash of the dataset (for example 32 bytes of SHA-256); may be empty.
 * @param artifactDigest  digest of the model artifact; may be empty.
 * @param parameters      hyper-parameters.
 * @param metrics         training or validation metrics.
 */
public record ModelEvent(
    long timeMillis, ModelEventKind kind, String model, String version, String stage, String previousVersion,
    String datasetId, byte[] datasetHash, byte[] artifactDigest, Map<String, String> parameters,
    Map<String, Double> metrics)
{
    public void encode(final WireWriter writer)
    {
        writer.putLong(timeMillis).putByte(kind.code()).putString(model).putString(version).putString(stage)
            .putString(previousVersion).putString(datasetId).putBytes(datasetHash).putBytes(artifactDigest);
        Pairs.putText(writer, parameters);
        Pairs.putNumbers(writer, metrics);
    }

    public static ModelEvent decode(final WireReader reader)
    {
        final long time = reader.getLong("timeMillis");
        final int code = reader.getUByte("kind");
        final ModelEventKind kind = ModelEventKind.of(code);
        if (kind == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "unknown model event kind " + code);
        }
        final String model = reader.getString("model");
        final String version = reader.getString("version");
        final String stage = reader.getString("stage");
        final String previous = reader.getString("previousVersion");
        final String dataset = reader.getString("datasetId");
        final byte[] hash = reader.getSlice("datasetHash", new BufferSlice()).toByteArray();
        final byte[] digest = reader.getSlice("artifactDigest", new BufferSlice()).toByteArray();
        return new ModelEvent(time, kind, model, version, stage, previous, dataset, hash, digest,
            Pairs.getText(reader, "parameters"), Pairs.getNumbers(reader, "metrics"));
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof ModelEvent e && timeMillis == e.timeMillis && kind == e.kind &&
            model.equals(e.model) && version.equals(e.version) && stage.equals(e.stage) &&
            previousVersion.equals(e.previousVersion) && datasetId.equals(e.datasetId) &&
            java.util.Arrays.equals(datasetHash, e.datasetHash) &&
            java.util.Arrays.equals(artifactDigest, e.artifactDigest) &&
            parameters.equals(e.parameters) && metrics.equals(e.metrics);
    }

    @Override
    public int hashCode()
    {
        return java.util.Objects.hash(timeMillis, kind, model, version) * 31 + java.util.Arrays.hashCode(datasetHash);
    }
}
