package io.sextant.collector.mlops.quality;

/**
 * The ground truth for one prediction.
 *
 * @param trueClass the true class index for a classifier, -1 for a regression
 * @param value     the true value for a regression, NaN for a classifier
 */
public record Label(int trueClass, double value) {

    public static Label ofClass(int trueClass) {
        return new Label(trueClass, Double.NaN);
    }

    public static Label ofValue(double value) {
        return new Label(-1, value);
    }
}
