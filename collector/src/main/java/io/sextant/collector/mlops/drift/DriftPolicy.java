package io.sextant.collector.mlops.drift;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Which test to apply to a feature and what counts as drift. Immutable; the {@code with*} methods return
 * changed copies.
 *
 * <p>The default choice follows Evidently: with a reference of at most {@link #smallSampleLimit()} values
 * (1000), Kolmogorov-Smirnov for numeric features (chi-squared when they take at most 5 distinct values)
 * and chi-squared for categorical ones; with a larger reference, normalised Wasserstein for numeric
 * features (Jensen-Shannon when they take at most 5 distinct values) and Jensen-Shannon for categorical
 * ones. A dataset drifts when at least {@link #datasetDriftShare()} of its features drift (0.5).
 * Evidently uses a two-proportion z-test for binary features; the chi-squared test of homogeneity with one
 * degree of freedom used here gives the same two-sided p-value (its statistic is the pooled z squared).
 */
public final class DriftPolicy {

    private final Map<DriftMethod, Double> thresholds;
    private final Map<String, DriftMethod> methodByFeature;
    private final DriftMethod forcedMethod;
    private final int smallSampleLimit;
    private final double datasetDriftShare;

    private DriftPolicy(Map<DriftMethod, Double> thresholds, Map<String, DriftMethod> methodByFeature,
                        DriftMethod forcedMethod, int smallSampleLimit, double datasetDriftShare) {
        this.thresholds = thresholds;
        this.methodByFeature = methodByFeature;
        this.forcedMethod = forcedMethod;
        this.smallSampleLimit = smallSampleLimit;
        this.datasetDriftShare = datasetDriftShare;
    }

    public static DriftPolicy defaults() {
        Map<DriftMethod, Double> t = new EnumMap<>(DriftMethod.class);
        for (DriftMethod m : DriftMethod.values()) {
            t.put(m, m.defaultThreshold());
        }
        return new DriftPolicy(t, Map.of(), null, 1000, 0.5);
    }

    public DriftPolicy withThreshold(DriftMethod method, double threshold) {
        Map<DriftMethod, Double> t = new EnumMap<>(thresholds);
        t.put(method, threshold);
        return new DriftPolicy(t, methodByFeature, forcedMethod, smallSampleLimit, datasetDriftShare);
    }

    /** Use {@code method} for one feature regardless of the data. */
    public DriftPolicy withMethod(String feature, DriftMethod method) {
        Map<String, DriftMethod> m = new HashMap<>(methodByFeature);
        m.put(feature, method);
        return new DriftPolicy(thresholds, Map.copyOf(m), forcedMethod, smallSampleLimit, datasetDriftShare);
    }

    /** Use {@code method} for every feature without a per-feature choice (null restores the default choice). */
    public DriftPolicy withMethodForAll(DriftMethod method) {
        return new DriftPolicy(thresholds, methodByFeature, method, smallSampleLimit, datasetDriftShare);
    }

    public DriftPolicy withDatasetDriftShare(double share) {
        return new DriftPolicy(thresholds, methodByFeature, forcedMethod, smallSampleLimit, share);
    }

    public DriftPolicy withSmallSampleLimit(int limit) {
        return new DriftPolicy(thresholds, methodByFeature, forcedMethod, limit, datasetDriftShare);
    }

    public double threshold(DriftMethod method) {
        return thresholds.get(method);
    }

    public int smallSampleLimit() {
        return smallSampleLimit;
    }

    public double datasetDriftShare() {
        return datasetDriftShare;
    }

    /** The chosen method for a numeric feature; {@code distinctValues} is -1 when unknown (binned sketches). */
    DriftMethod numericMethod(String feature, long referenceCount, int distinctValues) {
        DriftMethod chosen = chosen(feature);
        if (chosen != null) {
            return chosen;
        }
        boolean few = distinctValues >= 0 && distinctValues <= 5;
        if (referenceCount <= smallSampleLimit) {
            return few ? DriftMethod.CHI_SQUARED : DriftMethod.KS;
        }
        return few ? DriftMethod.JENSEN_SHANNON : DriftMethod.WASSERSTEIN;
    }

    DriftMethod categoricalMethod(String feature, long referenceCount) {
        DriftMethod chosen = chosen(feature);
        if (chosen != null) {
            return chosen;
        }
        return referenceCount <= smallSampleLimit ? DriftMethod.CHI_SQUARED : DriftMethod.JENSEN_SHANNON;
    }

    private DriftMethod chosen(String feature) {
        DriftMethod m = methodByFeature.get(feature);
        return m != null ? m : forcedMethod;
    }
}
