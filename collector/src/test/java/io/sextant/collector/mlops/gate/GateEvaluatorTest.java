package io.sextant.collector.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateEvaluatorTest {

    static final String RULES = """
        {"metrics": [
           {"name": "accuracy", "direction": "higher_is_better", "min": 0.85,
            "max_regression_abs": 0.01, "max_regression_rel": 0.02},
           {"name": "log_loss", "direction": "lower_is_better", "max": 0.5, "max_regression_rel": 0.05}],
         "latency_p99_ms": {"max": 50, "max_regression_rel": 0.10},
         "drift": {"max_share": 0.5, "max_drifted_features": 1}}
        """;

    @TempDir
    Path dir;

    private GateRules rules() throws Exception {
        Path f = dir.resolve("rules.json");
        Files.writeString(f, RULES);
        return GateRules.read(f);
    }

    private static GateEvidence evidence(double accuracy, double logLoss, double p99, double share, List<String> drifted) {
        return new GateEvidence(Map.of("accuracy", accuracy, "log_loss", logLoss), p99, share, drifted);
    }

    private static GateCheck check(GateResult r, String subject, String kind) {
        return r.checks().stream().filter(c -> c.subject().equals(subject) && c.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void equalOrBetterCandidatePasses() throws Exception {
        GateEvidence base = evidence(0.90, 0.30, 20, 0.0, List.of());
        GateEvidence cand = evidence(0.905, 0.29, 21, 0.25, List.of("amount"));
        GateResult r = GateEvaluator.evaluate("fraud", "2", "production", "1", rules(), cand, base);
        assertThat(r.passed()).as(r.report()).isTrue();
        assertThat(r.checks()).hasSize(9);
        assertThat(r.report()).startsWith("gate PASSED: model fraud, candidate 2 vs baseline production (version 1)");
    }

    @Test
    void accuracyDropBeyondTheAbsoluteAllowanceFails() throws Exception {
        GateEvidence base = evidence(0.90, 0.30, 20, 0.0, List.of());
        GateEvidence cand = evidence(0.885, 0.30, 20, 0.0, List.of());
        GateResult r = GateEvaluator.evaluate("fraud", "2", "production", "1", rules(), cand, base);
        assertThat(r.passed()).isFalse();
        GateCheck abs = check(r, "accuracy", "max_regression_abs");
        assertThat(abs.outcome()).isEqualTo(GateCheck.Outcome.FAIL);
        assertThat(abs.observed()).isCloseTo(0.015, within(1e-12));
        // relative drop 0.015 / 0.9 = 1.67% is inside 2%
        assertThat(check(r, "accuracy", "max_regression_rel").outcome()).isEqualTo(GateCheck.Outcome.PASS);
        assertThat(check(r, "accuracy", "min").outcome()).isEqualTo(GateCheck.Outcome.PASS);
    }

    @Test
    void lowerIsBetterMetricsAndLatencyRegressUpwards() throws Exception {
        GateEvidence base = evidence(0.90, 0.30, 20, 0.0, List.of());
        GateEvidence cand = evidence(0.90, 0.32, 23, 0.0, List.of());
        GateResult r = GateEvaluator.evaluate("fraud", "2", "production", "1", rules(), cand, base);
        GateCheck ll = check(r, "log_loss", "max_regression_rel");
        assertThat(ll.observed()).isCloseTo(0.02 / 0.30, within(1e-12));
        assertThat(ll.outcome()).isEqualTo(GateCheck.Outcome.FAIL);
        GateCheck lat = check(r, "latency_p99_ms", "max_regression_rel");
        assertThat(lat.observed()).isCloseTo(0.15, within(1e-12));
        assertThat(lat.outcome()).isEqualTo(GateCheck.Outcome.FAIL);
        assertThat(check(r, "latency_p99_ms", "max").outcome()).isEqualTo(GateCheck.Outcome.PASS);
    }

    @Test
    void driftShareAtTheThresholdFails() throws Exception {
        GateEvidence base = evidence(0.90, 0.30, 20, 0.0, List.of());
        GateEvidence cand = evidence(0.90, 0.30, 20, 0.5, List.of("amount", "country"));
        GateResult r = GateEvaluator.evaluate("fraud", "2", "production", "1", rules(), cand, base);
        assertThat(check(r, "drift", "max_share").outcome()).isEqualTo(GateCheck.Outcome.FAIL);
        assertThat(check(r, "drift", "max_drifted_features").outcome()).isEqualTo(GateCheck.Outcome.FAIL);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void missingCandidateMetricFailsAndMissingBaselineSkipsRegressions() throws Exception {
        GateEvidence cand = new GateEvidence(Map.of("accuracy", 0.9), 10.0, 0.0, List.of());
        GateResult r = GateEvaluator.evaluate("fraud", "2", "production", null, rules(), cand, null);
        assertThat(check(r, "log_loss", "present").outcome()).isEqualTo(GateCheck.Outcome.FAIL);
        assertThat(check(r, "accuracy", "max_regression_abs").outcome()).isEqualTo(GateCheck.Outcome.SKIPPED);
        assertThat(check(r, "baseline", "present").outcome()).isEqualTo(GateCheck.Outcome.SKIPPED);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void misspeltRuleIsRefused() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"metrics\": [{\"name\": \"accuracy\", \"direction\": \"higher_is_better\", \"minimum\": 0.8}]}");
        assertThatThrownBy(() -> GateRules.read(f)).hasMessageContaining("minimum");
    }
}
