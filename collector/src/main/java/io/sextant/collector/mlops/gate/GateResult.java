package io.sextant.collector.mlops.gate;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a gate: passed when no check failed.
 *
 * @param model            model name
 * @param candidate        candidate version
 * @param baseline         the baseline as asked (an alias or a version)
 * @param baselineVersion  the version it resolved to, null if unresolved
 * @param passed           true when no check failed
 * @param checks           every check, in rule order
 */
public record GateResult(String model, String candidate, String baseline, String baselineVersion, boolean passed,
                         List<GateCheck> checks) {

    /** A plain-text report for people (a CI log). */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("gate ").append(passed ? "PASSED" : "FAILED").append(": model ").append(model)
            .append(", candidate ").append(candidate).append(" vs baseline ").append(baseline);
        if (baselineVersion != null && !baselineVersion.equals(baseline)) {
            sb.append(" (version ").append(baselineVersion).append(')');
        }
        sb.append('\n');
        long failed = checks.stream().filter(c -> c.outcome() == GateCheck.Outcome.FAIL).count();
        sb.append(String.format(Locale.ROOT, "%d checks, %d failed%n", checks.size(), failed));
        for (GateCheck c : checks) {
            sb.append(String.format(Locale.ROOT, "  %-7s %-18s %-22s %s%n", c.outcome(), c.subject(), c.kind(), c.message()));
        }
        return sb.toString();
    }
}
