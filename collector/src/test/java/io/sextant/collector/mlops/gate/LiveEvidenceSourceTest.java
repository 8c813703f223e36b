package io.sextant.collector.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.mlops.drift.DriftEvaluator;
import io.sextant.collector.mlops.drift.DriftPolicy;
import io.sextant.collector.mlops.monitor.ModelMonitor;
import io.sextant.collector.mlops.monitor.MonitorSettings;
import io.sextant.collector.mlops.quality.Label;
import io.sextant.collector.mlops.quality.LabelJoin;
import io.sextant.collector.mlops.quality.Prediction;
import io.sextant.collector.mlops.quality.QualityTracker;
import io.sextant.collector.mlops.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo scenario in small: a worse candidate rolled out as a canary is blocked by the gate. */
class LiveEvidenceSourceTest {

    @TempDir
    Path dir;

    @Test
    void worseCanaryFailsTheGateOnTheSameTrafficWindow() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir.resolve("audit"), false)) {
            ModelRegistry registry = ModelRegistry.open(dir.resolve("audit"), journal, () -> 0L);
            registry.registerVersion("fraud", "1", null, null, null, Map.of("accuracy", 0.9), "sha256:a", "ci");
            registry.registerVersion("fraud", "2", null, null, null, Map.of("accuracy", 0.9), "sha256:b", "ci");
            registry.deploy("fraud", "1", "production", "ci", "");
            registry.deploy("fraud", "2", "candidate", "ci", "canary");

            QualityTracker quality = new QualityTracker(1000, 100, m -> 2);
            LabelJoin join = new LabelJoin(LabelJoin.DEFAULT_HORIZON_MS, 100_000, quality);
            ModelMonitor monitor = new ModelMonitor(MonitorSettings.defaults().withWindowMs(1000),
                new DriftEvaluator(DriftPolicy.defaults()), (s, d) -> { });
            monitor.compareWithVersion("fraud", "2", "1");
            Random random = new Random(5);
            int id = 0;
            for (int w = 0; w < 3; w++) {
                for (String version : new String[] {"1", "2"}) {
                    boolean candidate = version.equals("2");
                    for (int i = 0; i < 400; i++) {
                        long t = w * 1000L + i * 2;
                        int truth = random.nextInt(2);
                        double accuracy = candidate ? 0.75 : 0.92;
                        int predicted = random.nextDouble() < accuracy ? truth : 1 - truth;
                        String pid = "p" + (id++);
                        double x = random.nextGaussian() + (candidate && w > 0 ? 0.7 : 0.0);
                        monitor.record("fraud", version, t, (candidate ? 9_000_000L : 4_000_000L), false)
                            .numeric("amount", x).predictedClass(Integer.toString(predicted));
                        join.onPrediction(pid, "fraud", version, t, Prediction.classification(predicted));
                        join.onLabel(pid, t + 1, Label.ofClass(truth));
                    }
                }
            }
            monitor.advance(3000);

            Path rules = dir.resolve("rules.json");
            Files.writeString(rules, GateEvaluatorTest.RULES.replace("\"max\": 0.5, ", ""));
            GateRules r = GateRules.read(rules);
            GateRules noLogLoss = new GateRules(r.metrics().subList(0, 1), r.latencyP99Ms(), r.drift());
            LiveEvidenceSource source = new LiveEvidenceSource(registry, quality, monitor, 1000, 3000);
            GateResult result = GateEvaluator.evaluate(source, "fraud", "2", "production", noLogLoss);
            assertThat(result.baselineVersion()).isEqualTo("1");
            assertThat(result.passed()).as(result.report()).isFalse();
            assertThat(result.checks()).filteredOn(c -> c.outcome() == GateCheck.Outcome.FAIL)
                .extracting(GateCheck::subject).contains("accuracy", "latency_p99_ms", "drift");
            GateResult self = GateEvaluator.evaluate(source, "fraud", "1", "production",
                new GateRules(noLogLoss.metrics(), noLogLoss.latencyP99Ms(), null));
            assertThat(self.passed()).as(self.report()).isTrue();
        }
    }
}
