package io.sextant.collector.mlops.gate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Evidence from a JSON file, for pipelines that measured the candidate elsewhere and for tests:
 * <pre>
 * {"model": "fraud",
 *  "aliases": {"production": "1"},
 *  "versions": {"1": {"metrics": {"accuracy": 0.91}, "latency_p99_ms": 12.0},
 *               "2": {"metrics": {"accuracy": 0.89}, "latency_p99_ms": 11.0,
 *                     "drift_share": 0.2, "drifted_features": ["amount"]}}}
 * </pre>
 * Aliases here are used only when no registry resolves them.
 */
public final class FileEvidenceSource implements GateEvidenceSource {

    /** The file's shape. */
    public record EvidenceFile(String model, Map<String, String> aliases, Map<String, GateEvidence> versions) {

        public EvidenceFile {
            aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
            versions = versions == null ? Map.of() : Map.copyOf(versions);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final EvidenceFile file;

    public FileEvidenceSource(EvidenceFile file) {
        this.file = file;
    }

    public static FileEvidenceSource read(Path path) throws IOException {
        return new FileEvidenceSource(JSON.readValue(path.toFile(), EvidenceFile.class));
    }

    @Override
    public Optional<GateEvidence> evidence(String model, String version) {
        if (file.model() != null && !file.model().equals(model)) {
            return Optional.empty();
        }
        return Optional.ofNullable(file.versions().get(version));
    }

    @Override
    public Optional<String> resolve(String model, String versionOrAlias) {
        if (file.versions().containsKey(versionOrAlias)) {
            return Optional.of(versionOrAlias);
        }
        return Optional.ofNullable(file.aliases().get(versionOrAlias));
    }
}
