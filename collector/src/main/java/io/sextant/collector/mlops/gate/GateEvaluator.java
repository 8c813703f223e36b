package io.sextant.collector.mlops.gate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Applies {@link GateRules} to a candidate's and a baseline's evidence. Stateless. */
public final class GateEvaluator {

    private GateEvaluator() {
    }

    /** Resolves the baseline through {@code source}, then {@link #evaluate(String, String, String, String, GateRules, GateEvidence, GateEvidence)}. */
    public static GateResult evaluate(GateEvidenceSource source, String model, String candidate, String baseline,
                                      GateRules rules) {
        String baselineVersion = source.resolve(model, baseline).orElse(null);
        GateEvidence c = source.evidence(model, candidate).orElse(null);
        GateEvidence b = baselineVersion == null ? null : source.evidence(model, baselineVersion).orElse(null);
        return evaluate(model, candidate, baseline, baselineVersion, rules, c, b);
    }

    public static GateResult evaluate(String model, String candidate, String baseline, String baselineVersion,
                                      GateRules rules, GateEvidence cand, GateEvidence base) {
        List<GateCheck> checks = new ArrayList<>();
        if (cand == null) {
            checks.add(new GateCheck("candidate", "present", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                GateCheck.Outcome.FAIL, "no evidence for candidate version " + candidate));
            return new GateResult(model, candidate, baseline, baselineVersion, false, checks);
        }
        if (base == null) {
            checks.add(new GateCheck("baseline", "present", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                GateCheck.Outcome.SKIPPED, baselineVersion == null
                    ? "baseline " + baseline + " does not name a known version: regressions not checked"
                    : "no evidence for baseline version " + baselineVersion + ": regressions not checked"));
        }
        List<GateRules.MetricRule> metricRules = new ArrayList<>(rules.metrics());
        if (rules.latencyP99Ms() != null) {
            GateRules.MetricRule l = rules.latencyP99Ms();
            metricRules.add(new GateRules.MetricRule(GateRules.LATENCY_P99_MS, GateRules.Direction.LOWER_IS_BETTER,
                l.min(), l.max(), l.maxRegressionAbs(), l.maxRegressionRel()));
        }
        for (GateRules.MetricRule rule : metricRules) {
            metric(rule, cand, base, checks);
        }
        if (rules.drift() != null) {
            drift(rules.drift(), cand, checks);
        }
        boolean passed = checks.stream().noneMatch(c -> c.outcome() == GateCheck.Outcome.FAIL);
        return new GateResult(model, candidate, baseline, baselineVersion, passed, List.copyOf(checks));
    }

    private static void metric(GateRules.MetricRule rule, GateEvidence cand, GateEvidence base, List<GateCheck> out) {
        String name = rule.name();
        Double cv = cand.metric(name);
        Double bv = base == null ? null : base.metric(name);
        double b = bv == null ? Double.NaN : bv;
        if (cv == null || cv.isNaN()) {
            out.add(new GateCheck(name, "present", Double.NaN, b, Double.NaN, Double.NaN, GateCheck.Outcome.FAIL,
                "the candidate has no value for " + name));
            return;
        }
        double c = cv;
        if (rule.min() != null) {
            boolean ok = c >= rule.min();
            out.add(new GateCheck(name, "min", c, b, c, rule.min(), ok ? GateCheck.Outcome.PASS : GateCheck.Outcome.FAIL,
                fmt("%s = %s, must be >= %s", name, c, rule.min())));
        }
        if (rule.max() != null) {
            boolean ok = c <= rule.max();
            out.add(new GateCheck(name, "max", c, b, c, rule.max(), ok ? GateCheck.Outcome.PASS : GateCheck.Outcome.FAIL,
                fmt("%s = %s, must be <= %s", name, c, rule.max())));
        }
        if (rule.maxRegressionAbs() == null && rule.maxRegressionRel() == null) {
            return;
        }
        boolean higher = rule.direction() == GateRules.Direction.HIGHER_IS_BETTER;
        if (Double.isNaN(b)) {
            if (rule.maxRegressionAbs() != null) {
                out.add(skipped(name, "max_regression_abs", c, rule.maxRegressionAbs()));
            }
            if (rule.maxRegressionRel() != null) {
                out.add(skipped(name, "max_regression_rel", c, rule.maxRegressionRel()));
            }
            return;
        }
        double regression = higher ? b - c : c - b;
        if (rule.maxRegressionAbs() != null) {
            boolean ok = regression <= rule.maxRegressionAbs();
            out.add(new GateCheck(name, "max_regression_abs", c, b, regression, rule.maxRegressionAbs(),
                ok ? GateCheck.Outcome.PASS : GateCheck.Outcome.FAIL,
                fmt("%s %s vs baseline %s: %s by %s, allowed %s", name, c, b, regression > 0 ? "worse" : "not worse",
                    Math.abs(regression), rule.maxRegressionAbs())));
        }
        if (rule.maxRegressionRel() != null) {
            double rel = b == 0 ? (regression > 0 ? Double.POSITIVE_INFINITY : 0.0) : regression / Math.abs(b);
            boolean ok = rel <= rule.maxRegressionRel();
            out.add(new GateCheck(name, "max_regression_rel", c, b, rel, rule.maxRegressionRel(),
                ok ? GateCheck.Outcome.PASS : GateCheck.Outcome.FAIL,
                fmt("%s %s vs baseline %s: %s by %s%%, allowed %s%%", name, c, b, rel > 0 ? "worse" : "not worse",
                    100 * Math.abs(rel), 100 * rule.maxRegressionRel())));
        }
    }

    private static GateCheck skipped(String name, String kind, double c, double limit) {
        return new GateCheck(name, kind, c, Double.NaN, Double.NaN, limit, GateCheck.Outcome.SKIPPED,
            "the baseline has no value for " + name + ": regression not checked");
    }

    private static void drift(GateRules.DriftRule rule, GateEvidence cand, List<GateCheck> out) {
        if (cand.driftShare() == null) {
            out.add(new GateCheck("drift", "present", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                GateCheck.Outcome.FAIL, "drift was not evaluated for the candidate"));
            return;
        }
        double share = cand.driftShare();
        if (rule.maxShare() != null) {
            // Evidently's dataset drift: drift when share >= threshold, so passing needs share < max_share.
            boolean ok = share < rule.maxShare();
            out.add(new GateCheck("drift", "max_share", share, Double.NaN, share, rule.maxShare(),
                ok ? GateCheck.Outcome.PASS : GateCheck.Outcome.FAIL,
                fmt("drifted share %s, dataset drift at >= %s", share, rule.maxShare())
                    + (cand.driftedFeatures().isEmpty() ? "" : " " + cand.driftedFeatures())));
        }
        if (rule.maxDriftedFeatures() != null) {
            int n = cand.driftedFeatures().size();
            boolean ok = n <= rule.maxDriftedFeatures();
            out.add(new GateCheck("drift", "max_drifted_features", n, Double.NaN, n, rule.maxDriftedFeatures(),
                ok ? GateCheck.Outcome.PASS : GateCheck.Outcome.FAIL,
                fmt("%s drifted features, allowed %s", n, rule.maxDriftedFeatures())));
        }
    }

    /** Six significant digits without trailing zeros: 0.8, 24, 0.0125. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.6g", d)).stripTrailingZeros().toPlainString();
    }

    private static String fmt(String pattern, Object... args) {
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = args[i] instanceof Double d ? number(d) : args[i];
        }
        return String.format(Locale.ROOT, pattern, shown);
    }
}
