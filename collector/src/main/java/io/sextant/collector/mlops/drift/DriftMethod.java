package io.sextant.collector.mlops.drift;

/** A drift test, what its value means, and its default threshold (Evidently's defaults). */
public enum DriftMethod {
    /** Two-sample Kolmogorov-Smirnov; value is the p-value; drift when p &lt; 0.05. */
    KS("ks", 0.05, true),
    /** Chi-squared test of homogeneity; value is the p-value; drift when p &lt; 0.05. */
    CHI_SQUARED("chisquare", 0.05, true),
    /** Population stability index; drift when PSI &gt;= 0.1. */
    PSI("psi", 0.1, false),
    /** Jensen-Shannon distance (natural log); drift when &gt;= 0.1. */
    JENSEN_SHANNON("jensenshannon", 0.1, false),
    /** Wasserstein-1 over the reference's standard deviation; drift when &gt;= 0.1. */
    WASSERSTEIN("wasserstein", 0.1, false);

    private final String id;
    private final double defaultThreshold;
    private final boolean pValue;

    DriftMethod(String id, double defaultThreshold, boolean pValue) {
        this.id = id;
        this.defaultThreshold = defaultThreshold;
        this.pValue = pValue;
    }

    /** The stable name used in records and rule files. */
    public String id() {
        return id;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** True when the value is a p-value (drift when below the threshold), false for a distance (drift at or above). */
    public boolean isPValue() {
        return pValue;
    }

    public boolean drifted(double value, double threshold) {
        return pValue ? value < threshold : value >= threshold;
    }

    /**
     * A score in [0, 1] that is 0.5 exactly at the threshold and grows with the evidence of drift: for a
     * distance v/(v + t); for a p-value ln p / (ln p + ln t). Comparable across methods.
     */
    public double score(double value, double threshold) {
        if (Double.isNaN(value)) {
            return 0.0;
        }
        if (pValue) {
            if (value >= 1.0) {
                return 0.0;
            }
            if (value <= 0.0) {
                return 1.0;
            }
            double lp = Math.log(value);
            return lp / (lp + Math.log(threshold));
        }
        if (Double.isInfinite(value)) {
            return 1.0;
        }
        double v = Math.max(0.0, value);
        return v / (v + threshold);
    }

    public static DriftMethod byId(String id) {
        for (DriftMethod m : values()) {
            if (m.id.equalsIgnoreCase(id) || m.name().equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown drift method '" + id + "'; expected one of ks, chisquare, psi, jensenshannon, wasserstein");
    }
}
