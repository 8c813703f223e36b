package io.sextant.collector.mlops.quality;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification quality over a set of labelled predictions, mergeable.
 *
 * <p>Keeps a {@code k x k} confusion matrix, the sum of log losses (for predictions that carry
 * probabilities; each probability clipped to [1e-15, 1 - 1e-15]), and for binary models the positive-class
 * scores of positives and negatives in {@value #AUC_BINS} bins of width 0.001, from which ROC AUC is the
 * Mann-Whitney statistic (ties count one half). AUC is exact when scores are multiples of 0.001 and within
 * 0.001-resolution otherwise; it is NaN for multi-class models (no one-vs-rest yet) and when a class is
 * missing. Precision, recall and F1 with no predicted (or no true) members of a class are 0, as scikit-learn
 * reports with {@code zero_division=0}. Micro-averaged precision, recall and F1 equal accuracy for
 * single-label classification.
 *
 * <p>Memory: {@code 8 k^2} bytes plus {@code 16 * 1001} bytes for binary models. Updates allocate nothing.
 * Single writer.
 */
public final class ClassificationMetrics {

    public static final int AUC_BINS = 1001;
    static final double EPS = 1e-15;

    private final int classes;
    private final long[] confusion;
    private final long[] positiveScores;
    private final long[] negativeScores;
    private long count;
    private long outOfRange;
    private double logLossSum;
    private long logLossCount;
    private long scored;

    public ClassificationMetrics(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes");
        }
        this.classes = classes;
        this.confusion = new long[classes * classes];
        this.positiveScores = classes == 2 ? new long[AUC_BINS] : null;
        this.negativeScores = classes == 2 ? new long[AUC_BINS] : null;
    }

    public void add(Prediction p, Label l) {
        int truth = l.trueClass();
        int predicted = p.predictedClass();
        if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
            outOfRange++;
            return;
        }
        confusion[truth * classes + predicted]++;
        count++;
        double[] probs = p.probabilities();
        if (probs != null && probs.length == classes) {
            double pt = Math.min(1 - EPS, Math.max(EPS, probs[truth]));
            logLossSum -= Math.log(pt);
            logLossCount++;
            if (classes == 2) {
                int bin = (int) Math.round(Math.min(1.0, Math.max(0.0, probs[1])) * (AUC_BINS - 1));
                if (truth == 1) {
                    positiveScores[bin]++;
                } else {
                    negativeScores[bin]++;
                }
                scored++;
            }
        }
    }

    public void merge(ClassificationMetrics o) {
        if (o.classes != classes) {
            throw new IllegalArgumentException("cannot merge " + o.classes + "-class metrics into " + classes + "-class");
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += o.confusion[i];
        }
        if (positiveScores != null) {
            for (int i = 0; i < AUC_BINS; i++) {
                positiveScores[i] += o.positiveScores[i];
                negativeScores[i] += o.negativeScores[i];
            }
        }
        count += o.count;
        outOfRange += o.outOfRange;
        logLossSum += o.logLossSum;
        logLossCount += o.logLossCount;
        scored += o.scored;
    }

    public void reset() {
        Arrays.fill(confusion, 0);
        if (positiveScores != null) {
            Arrays.fill(positiveScores, 0);
            Arrays.fill(negativeScores, 0);
        }
        count = 0;
        outOfRange = 0;
        logLossSum = 0;
        logLossCount = 0;
        scored = 0;
    }

    public int classes() {
        return classes;
    }

    public long count() {
        return count;
    }

    /** Pairs whose class was outside [0, classes): not counted. */
    public long outOfRange() {
        return outOfRange;
    }

    public long confusion(int truth, int predicted) {
        return confusion[truth * classes + predicted];
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += confusion(c, c);
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    public double precision(int c) {
        long predicted = 0;
        for (int t = 0; t < classes; t++) {
            predicted += confusion(t, c);
        }
        return predicted == 0 ? 0.0 : (double) confusion(c, c) / predicted;
    }

    public double recall(int c) {
        long actual = 0;
        for (int p = 0; p < classes; p++) {
            actual += confusion(c, p);
        }
        return actual == 0 ? 0.0 : (double) confusion(c, c) / actual;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += precision(c);
        }
        return s / classes;
    }

    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += recall(c);
        }
        return s / classes;
    }

    public double macroF1() {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += f1(c);
        }
        return s / classes;
    }

    /** Micro-averaged F1 (= micro precision = micro recall = accuracy for single-label data). */
    public double microF1() {
        return accuracy();
    }

    /** Mean negative log-likelihood of the true class over predictions with probabilities; NaN if none. */
    public double logLoss() {
        return logLossCount == 0 ? Double.NaN : logLossSum / logLossCount;
    }

    /** Binary ROC AUC (class 1 positive); NaN for multi-class or when either class is absent. */
    public double rocAuc() {
        if (positiveScores == null) {
            return Double.NaN;
        }
        long pos = 0;
        long neg = 0;
        for (int i = 0; i < AUC_BINS; i++) {
            pos += positiveScores[i];
            neg += negativeScores[i];
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        double wins = 0;
        long negBelow = 0;
        for (int i = 0; i < AUC_BINS; i++) {
            wins += positiveScores[i] * (negBelow + 0.5 * negativeScores[i]);
            negBelow += negativeScores[i];
        }
        return wins / ((double) pos * neg);
    }

    /**
     * The metrics by name, as gates and the API use them: {@code count, accuracy, macro_precision,
     * macro_recall, macro_f1, micro_f1, log_loss, roc_auc}, and for binary models {@code precision, recall,
     * f1} of class 1.
     */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("count", (double) count);
        m.put("accuracy", accuracy());
        if (classes == 2) {
            m.put("precision", precision(1));
            m.put("recall", recall(1));
            m.put("f1", f1(1));
        }
        m.put("macro_precision", macroPrecision());
        m.put("macro_recall", macroRecall());
        m.put("macro_f1", macroF1());
        m.put("micro_f1", microF1());
        m.put("log_loss", logLoss());
        m.put("roc_auc", rocAuc());
        return m;
    }
}
