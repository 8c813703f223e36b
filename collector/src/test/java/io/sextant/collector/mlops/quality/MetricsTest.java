package io.sextant.collector.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Expected values computed with a few lines of numpy 2.4.6 (scikit-learn is not installed here): the
 * confusion counts by comparison, ROC AUC as the Mann-Whitney pair count over all positive/negative pairs
 * (ties one half), log loss as -mean(log p_true), MAE/RMSE/MAPE from their definitions.
 */
class MetricsTest {

    static final int[] BINARY_TRUTH = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1};
    static final double[] BINARY_P1 = {0.9, 0.2, 0.65, 0.3, 0.4, 0.1, 0.8, 0.65, 0.55, 0.7, 0.65, 0.95};

    @Test
    void binaryMetricsMatchNumpy() {
        // tp 6, fp 2, fn 1, tn 3: accuracy 0.75, precision 0.75, recall 0.8571428571428571, f1 0.8,
        // roc_auc 0.7714285714285715, log loss 0.5113581348490577, macro F1 0.7333333333333332
        ClassificationMetrics m = new ClassificationMetrics(2);
        for (int i = 0; i < BINARY_TRUTH.length; i++) {
            double p = BINARY_P1[i];
            m.add(Prediction.classification(p >= 0.5 ? 1 : 0, 1 - p, p), Label.ofClass(BINARY_TRUTH[i]));
        }
        assertThat(m.confusion(1, 1)).isEqualTo(6);
        assertThat(m.confusion(0, 1)).isEqualTo(2);
        assertThat(m.accuracy()).isCloseTo(0.75, within(1e-12));
        assertThat(m.precision(1)).isCloseTo(0.75, within(1e-12));
        assertThat(m.recall(1)).isCloseTo(0.8571428571428571, within(1e-12));
        assertThat(m.f1(1)).isCloseTo(0.8, within(1e-12));
        assertThat(m.rocAuc()).isCloseTo(0.7714285714285715, within(1e-12));
        assertThat(m.logLoss()).isCloseTo(0.5113581348490577, within(1e-12));
        assertThat(m.macroF1()).isCloseTo(0.7333333333333332, within(1e-12));
        assertThat(m.toMap()).containsEntry("count", 12.0).containsKeys("roc_auc", "f1", "macro_f1");
    }

    @Test
    void multiClassMacroAndMicroMatchNumpy() {
        // confusion [[3,0,0],[1,2,1],[0,2,3]]: accuracy = micro F1 0.6666666666666666, macro precision
        // 0.6666666666666666, macro recall 0.7, macro F1 0.6746031746031745, log loss 0.6483282328826034
        int[] truth = {0, 1, 2, 2, 1, 0, 2, 1, 1, 0, 2, 2};
        int[] predicted = {0, 2, 2, 1, 1, 0, 2, 0, 1, 0, 2, 1};
        double[][] probs = {{.7, .2, .1}, {.1, .3, .6}, {.2, .2, .6}, {.1, .5, .4}, {.2, .6, .2}, {.8, .1, .1},
            {.1, .1, .8}, {.5, .4, .1}, {.3, .6, .1}, {.6, .3, .1}, {.2, .3, .5}, {.2, .5, .3}};
        ClassificationMetrics a = new ClassificationMetrics(3);
        ClassificationMetrics b = new ClassificationMetrics(3);
        for (int i = 0; i < truth.length; i++) {
            (i < 5 ? a : b).add(Prediction.classification(predicted[i], probs[i]), Label.ofClass(truth[i]));
        }
        a.merge(b);
        assertThat(a.accuracy()).isCloseTo(0.6666666666666666, within(1e-12));
        assertThat(a.microF1()).isCloseTo(0.6666666666666666, within(1e-12));
        assertThat(a.macroPrecision()).isCloseTo(0.6666666666666666, within(1e-12));
        assertThat(a.macroRecall()).isCloseTo(0.7, within(1e-12));
        assertThat(a.macroF1()).isCloseTo(0.6746031746031745, within(1e-12));
        assertThat(a.logLoss()).isCloseTo(0.6483282328826034, within(1e-12));
        assertThat(a.rocAuc()).isNaN();
    }

    @Test
    void classesOutsideTheRangeAreCountedNotScored() {
        ClassificationMetrics m = new ClassificationMetrics(2);
        m.add(Prediction.classification(5), Label.ofClass(1));
        assertThat(m.count()).isZero();
        assertThat(m.outOfRange()).isEqualTo(1);
    }

    @Test
    void regressionMetricsMatchNumpy() {
        // y = [3,-0.5,2,7,4.2,1.5], yhat = [2.5,0,2,8,3.9,2]: MAE 0.46666666666666673,
        // RMSE 0.5537749241945383, MAPE 0.2857142857142857
        double[] y = {3.0, -0.5, 2.0, 7.0, 4.2, 1.5};
        double[] yhat = {2.5, 0.0, 2.0, 8.0, 3.9, 2.0};
        RegressionMetrics m = new RegressionMetrics();
        for (int i = 0; i < y.length; i++) {
            m.add(Prediction.regression(yhat[i]), Label.ofValue(y[i]));
        }
        assertThat(m.mae()).isCloseTo(0.46666666666666673, within(1e-12));
        assertThat(m.rmse()).isCloseTo(0.5537749241945383, within(1e-12));
        assertThat(m.mape()).isCloseTo(0.2857142857142857, within(1e-12));
        m.add(Prediction.regression(1), Label.ofValue(0));
        assertThat(m.zeroLabels()).isEqualTo(1);
        assertThat(m.mape()).isCloseTo(0.2857142857142857, within(1e-12));
    }
}
