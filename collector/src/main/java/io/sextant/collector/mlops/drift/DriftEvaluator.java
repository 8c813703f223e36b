package io.sextant.collector.mlops.drift;

import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.Cdf;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies a {@link DriftPolicy} to features: picks the test, computes it, decides drift. Stateless apart
 * from its policy; safe to share once built. Evaluation allocates and runs once per window, not per event.
 */
public final class DriftEvaluator {

    private final DriftPolicy policy;

    public DriftEvaluator(DriftPolicy policy) {
        this.policy = policy;
    }

    public DriftPolicy policy() {
        return policy;
    }

    public DriftTestResult numeric(String feature, NumericSketch reference, NumericSketch current) {
        return numeric(feature, reference.cdf(), current.cdf());
    }

    public DriftTestResult numeric(String feature, Cdf reference, Cdf current) {
        int distinct = -1;
        if (reference.exact() && current.exact()) {
            distinct = Cdf.unionPoints(reference, current).length;
        }
        DriftMethod method = policy.numericMethod(feature, reference.count(), distinct);
        return numeric(feature, method, reference, current);
    }

    /** One numeric feature with a given method (the harness compares methods this way). */
    public DriftTestResult numeric(String feature, DriftMethod method, Cdf reference, Cdf current) {
        double threshold = policy.threshold(method);
        double value;
        double statistic;
        switch (method) {
            case KS -> {
                statistic = DriftStatistics.ksStatistic(reference, current);
                value = DriftStatistics.ksPValue(statistic, reference.count(), current.count(),
                    reference.exact() && current.exact());
            }
            case WASSERSTEIN -> {
                value = DriftStatistics.normalisedWasserstein(reference, current);
                statistic = value;
            }
            case PSI -> {
                double[][] p = DriftStatistics.sturgesProportions(reference, current);
                value = DriftStatistics.psi(p[0], p[1]);
                statistic = value;
            }
            case JENSEN_SHANNON -> {
                double[][] p = DriftStatistics.sturgesProportions(reference, current);
                value = DriftStatistics.jensenShannon(p[0], p[1]);
                statistic = value;
            }
            case CHI_SQUARED -> {
                long[][] counts = valueCounts(reference, current);
                DriftStatistics.ChiSquared chi = DriftStatistics.chiSquared(counts[0], counts[1]);
                value = chi.pValue();
                statistic = chi.statistic();
            }
            default -> throw new IllegalStateException("unhandled method " + method);
        }
        return result(feature, method, value, statistic, threshold, reference.count(), current.count());
    }

    /** Counts per distinct value; for binned CDFs the bins' masses at the pooled breakpoints. */
    private static long[][] valueCounts(Cdf reference, Cdf current) {
        double[] xs = Cdf.unionPoints(reference, current);
        long[] r = new long[xs.length];
        long[] c = new long[xs.length];
        for (int i = 0; i < xs.length; i++) {
            r[i] = Math.round((reference.at(xs[i]) - (i == 0 ? 0 : reference.at(xs[i - 1]))) * reference.count());
            c[i] = Math.round((current.at(xs[i]) - (i == 0 ? 0 : current.at(xs[i - 1]))) * current.count());
        }
        return new long[][] {r, c};
    }

    public DriftTestResult categorical(String feature, CategoricalSketch reference, CategoricalSketch current) {
        return categorical(feature, reference.counts(), current.counts());
    }

    public DriftTestResult categorical(String feature, Map<String, Long> reference, Map<String, Long> current) {
        long[][] counts = DriftStatistics.align(reference, current);
        long nr = 0;
        long nc = 0;
        for (int i = 0; i < counts[0].length; i++) {
            nr += counts[0][i];
            nc += counts[1][i];
        }
        DriftMethod method = policy.categoricalMethod(feature, nr);
        double threshold = policy.threshold(method);
        double value;
        double statistic;
        switch (method) {
            case CHI_SQUARED -> {
                DriftStatistics.ChiSquared chi = DriftStatistics.chiSquared(counts[0], counts[1]);
                value = chi.pValue();
                statistic = chi.statistic();
            }
            case JENSEN_SHANNON -> {
                value = DriftStatistics.jensenShannon(DriftStatistics.toProportions(counts[0]),
                    DriftStatistics.toProportions(counts[1]));
                statistic = value;
            }
            case PSI -> {
                value = DriftStatistics.psi(DriftStatistics.toProportions(counts[0]),
                    DriftStatistics.toProportions(counts[1]));
                statistic = value;
            }
            default -> throw new IllegalArgumentException(method.id() + " does not apply to categorical feature " + feature);
        }
        return result(feature, method, value, statistic, threshold, nr, nc);
    }

    private static DriftTestResult result(String feature, DriftMethod method, double value, double statistic,
                                          double threshold, long nr, long nc) {
        boolean drifted = method.drifted(value, threshold);
        return new DriftTestResult(feature, method, value, statistic, threshold, drifted,
            method.score(value, threshold), nr, nc);
    }

    /**
     * Every feature present in both reference and current; features missing from either side are skipped.
     * Features are evaluated in name order, so the report is deterministic.
     */
    public DatasetDrift evaluate(Map<String, NumericSketch> numericReference, Map<String, NumericSketch> numericCurrent,
                                 Map<String, CategoricalSketch> categoricalReference,
                                 Map<String, CategoricalSketch> categoricalCurrent) {
        List<DriftTestResult> results = new ArrayList<>();
        for (Map.Entry<String, NumericSketch> e : new TreeMap<>(numericReference).entrySet()) {
            NumericSketch cur = numericCurrent.get(e.getKey());
            if (cur != null && cur.count() > 0 && e.getValue().count() > 0) {
                results.add(numeric(e.getKey(), e.getValue(), cur));
            }
        }
        for (Map.Entry<String, CategoricalSketch> e : new TreeMap<>(categoricalReference).entrySet()) {
            CategoricalSketch cur = categoricalCurrent.get(e.getKey());
            if (cur != null && cur.total() > 0 && e.getValue().total() > 0) {
                results.add(categorical(e.getKey(), e.getValue(), cur));
            }
        }
        return DatasetDrift.of(results, policy.datasetDriftShare());
    }
}
