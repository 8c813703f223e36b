package io.sextant.collector.mlops.quality;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression quality over labelled predictions, mergeable: MAE, RMSE and MAPE. MAPE is a fraction (as
 * scikit-learn returns it, not a percentage) over the pairs whose true value is not 0; pairs with a true
 * value of 0 are counted in {@link #zeroLabels()} and left out of MAPE only. Updates allocate nothing.
 * Single writer.
 */
public final class RegressionMetrics {

    private long count;
    private double sumAbs;
    private double sumSq;
    private double sumAbsPct;
    private long pctCount;
    private long zeroLabels;

    public void add(Prediction p, Label l) {
        double y = l.value();
        double e = p.value() - y;
        if (Double.isNaN(e)) {
            return;
        }
        count++;
        sumAbs += Math.abs(e);
        sumSq += e * e;
        if (y != 0) {
            sumAbsPct += Math.abs(e) / Math.abs(y);
            pctCount++;
        } else {
            zeroLabels++;
        }
    }

    public void merge(RegressionMetrics o) {
        count += o.count;
        sumAbs += o.sumAbs;
        sumSq += o.sumSq;
        sumAbsPct += o.sumAbsPct;
        pctCount += o.pctCount;
        zeroLabels += o.zeroLabels;
    }

    public long count() {
        return count;
    }

    public long zeroLabels() {
        return zeroLabels;
    }

    public double mae() {
        return count == 0 ? Double.NaN : sumAbs / count;
    }

    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSq / count);
    }

    public double mape() {
        return pctCount == 0 ? Double.NaN : sumAbsPct / pctCount;
    }

    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("count", (double) count);
        m.put("mae", mae());
        m.put("rmse", rmse());
        m.put("mape", mape());
        return m;
    }
}
