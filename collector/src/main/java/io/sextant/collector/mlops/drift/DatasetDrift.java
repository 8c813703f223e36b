package io.sextant.collector.mlops.drift;

import java.util.List;
import java.util.ArrayList;
import java.util.UUID;

/**
 * Drift over all features of one window: the per-feature results, the share that drifted, and whether
 * that share reached the policy's threshold.
 */
public record DatasetDrift(List<DriftTestResult> features, int driftedFeatures, double share, double shareThreshold,
                           boolean drifted) {

    static DatasetDrift of(List<DriftTestResult> results, double shareThreshold) {
        int drifted = 0;
        for (DriftTestResult r : results) {
            if (r.drifted()) {
                drifted++;
            }
        }
        double share = results.isEmpty() ? 0.0 : (double) drifted / results.size();
        return new DatasetDrift(List.copyOf(results), drifted, share, shareThreshold,
            !results.isEmpty() && share >= shareThreshold);
    }

    /**
     * The records to publish for this window: one per feature, plus one for the dataset share (statistic
     * {@code "drift_share"}, feature {@code "*"}). Record ids are name-based UUIDs of model, version,
     * feature, statistic and window, so replaying the journal reproduces the same ids.
     */
    public List<DriftRecord> toRecords(String model, String version, ReferenceKind reference,
                                       long windowStartMs, long windowEndMs) {
        List<DriftRecord> out = new ArrayList<>(features.size() + 1);
        for (DriftTestResult r : features) {
            out.add(record(r, model, version, reference, windowStartMs, windowEndMs));
        }
        double score = share >= 1.0 ? 1.0 : share / (share + shareThreshold);
        out.add(new DriftRecord(id(model, version, "*", "drift_share", windowStartMs), model, version, "*",
            "drift_share", share, share, shareThreshold, reference, windowStartMs, windowEndMs, score,
            Severity.of(drifted, score), drifted));
        return out;
    }

    /** The record of one test result (used for features outside the share, such as the prediction). */
    public static DriftRecord record(DriftTestResult r, String model, String version, ReferenceKind reference,
                                     long windowStartMs, long windowEndMs) {
        return new DriftRecord(id(model, version, r.feature(), r.method().id(), windowStartMs), model, version,
            r.feature(), r.method().id(), r.value(), r.statistic(), r.threshold(), reference, windowStartMs,
            windowEndMs, r.score(), Severity.of(r.drifted(), r.score()), r.drifted());
    }

    private static String id(String model, String version, String feature, String statistic, long windowStartMs) {
        String key = "drift\0" + model + "\0" + version + "\0" + feature + "\0" + statistic + "\0" + windowStartMs;
        return UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
