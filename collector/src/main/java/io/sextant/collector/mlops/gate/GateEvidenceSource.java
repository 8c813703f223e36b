package io.sextant.collector.mlops.gate;

import java.util.Optional;

/** Supplies the evidence for a version and resolves aliases. */
public interface GateEvidenceSource {

    /** Evidence for a version, or empty if nothing is known about it. */
    Optional<GateEvidence> evidence(String model, String version);

    /** The version an alias (or a version label) names, or empty if unknown. */
    Optional<String> resolve(String model, String versionOrAlias);
}
