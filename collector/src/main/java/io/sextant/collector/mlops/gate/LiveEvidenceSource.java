package io.sextant.collector.mlops.gate;

import io.sextant.collector.mlops.monitor.ModelMonitor;
import io.sextant.collector.mlops.monitor.WindowSummary;
import io.sextant.collector.mlops.quality.QualityTracker;
import io.sextant.collector.mlops.registry.ModelRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evidence from the collector's own state over one time range {@code [fromMs, toMs)}, the same range for
 * candidate and baseline, so that two versions live side by side (canary or shadow) are compared on the
 * same traffic window.
 *
 * <ul>
 *   <li>quality metrics: {@link QualityTracker#summary} over the range;</li>
 *   <li>latency p99: the largest p99 of the version's windows that start in the range (conservative: a
 *       merged histogram would give a p99 no larger);</li>
 *   <li>drift: the share and drifted features of the last window in the range that was tested.</li>
 * </ul>
 * Aliases resolve through the registry. Read on the thread that owns the tracker and the monitor.
 */
public final class LiveEvidenceSource implements GateEvidenceSource {

    private final ModelRegistry registry;
    private final QualityTracker quality;
    private final ModelMonitor monitor;
    private final long fromMs;
    private final long toMs;

    public LiveEvidenceSource(ModelRegistry registry, QualityTracker quality, ModelMonitor monitor, long fromMs,
                              long toMs) {
        this.registry = registry;
        this.quality = quality;
        this.monitor = monitor;
        this.fromMs = fromMs;
        this.toMs = toMs;
    }

    @Override
    public Optional<GateEvidence> evidence(String model, String version) {
        Map<String, Double> metrics = quality.summary(model, version, fromMs, toMs);
        Double p99 = null;
        Double share = null;
        List<String> drifted = List.of();
        for (WindowSummary w : monitor.summaries(model, version)) {
            if (w.startMs() < fromMs || w.startMs() >= toMs || w.requests() == 0) {
                continue;
            }
            p99 = p99 == null ? w.latencyP99Ms() : Math.max(p99, w.latencyP99Ms());
            if (w.reference() != null) {
                share = w.driftShare();
                drifted = w.driftedFeatures();
            }
        }
        if (metrics.isEmpty() && p99 == null) {
            return Optional.empty();
        }
        return Optional.of(new GateEvidence(metrics, p99, share, drifted));
    }

    @Override
    public Optional<String> resolve(String model, String versionOrAlias) {
        return registry.resolve(model, versionOrAlias);
    }
}
