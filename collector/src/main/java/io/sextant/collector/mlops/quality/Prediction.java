package io.sextant.collector.mlops.quality;

/**
 * What a model predicted, as far as quality metrics need it.
 *
 * @param predictedClass the predicted class index for a classifier, -1 for a regression
 * @param probabilities  class probabilities (index = class) for a classifier that gives them, else null
 * @param value          the predicted value for a regression, NaN for a classifier
 */
public record Prediction(int predictedClass, double[] probabilities, double value) {

    public static Prediction classification(int predictedClass, double... probabilities) {
        return new Prediction(predictedClass, probabilities.length == 0 ? null : probabilities, Double.NaN);
    }

    public static Prediction regression(double value) {
        return new Prediction(-1, null, value);
    }

    public boolean isClassification() {
        return predictedClass >= 0;
    }
}
