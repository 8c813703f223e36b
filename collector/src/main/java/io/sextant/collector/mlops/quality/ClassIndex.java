package io.sextant.collector.mlops.quality;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps one model's class labels (strings on the wire) to the indices {@link ClassificationMetrics} uses,
 * and turns the wire's (predicted class, score) into a {@link Prediction}.
 *
 * <p>For a binary model ({@code classes == 2}) the configured positive class is index 1 and the other label
 * index 0; the score is read as the probability of the predicted class, so P(positive) is the score when
 * the positive class was predicted and {@code 1 - score} otherwise, which gives ROC AUC and log loss. For
 * more classes, indices follow first sight, and a single score says nothing about the other classes, so
 * such predictions carry no probabilities (no log loss). Labels beyond {@code classes} get -1 and are
 * counted as out of range by the metrics. Allocation-free once every label has been seen. Single writer.
 */
public final class ClassIndex {

    private final int classes;
    private final String positiveClass;
    private final Map<String, Integer> indices = new HashMap<>();
    private int next;

    /** @param positiveClass the positive label of a binary model; null to take labels in order of first sight */
    public ClassIndex(int classes, String positiveClass) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes");
        }
        this.classes = classes;
        this.positiveClass = classes == 2 ? positiveClass : null;
        if (this.positiveClass != null) {
            indices.put(this.positiveClass, 1);
        }
    }

    public int classes() {
        return classes;
    }

    /** The label's index, assigning the next free one on first sight; -1 when all are taken. */
    public int indexOf(String label) {
        Integer i = indices.get(label);
        if (i != null) {
            return i;
        }
        if (indices.size() == classes) {
            return -1;
        }
        int assigned = next++;
        if (assigned >= classes) {
            return -1;
        }
        indices.put(label, assigned);
        return assigned;
    }

    /** A prediction from the wire's class label and score (NaN score: no probabilities). */
    public Prediction prediction(String predictedClass, double score) {
        int index = indexOf(predictedClass);
        double positive = positiveProbability(index, score);
        if (Double.isNaN(positive)) {
            return new Prediction(index < 0 ? Integer.MAX_VALUE : index, null, Double.NaN);
        }
        return Prediction.classification(index, 1 - positive, positive);
    }

    /**
     * The probability of the positive class behind a prediction, for the probabilities {@link #prediction}
     * gives: defined for a binary model and a known class with a score, NaN otherwise.
     *
     * @param index the predicted class index ({@link #indexOf}), negative when unknown
     * @param score the model's probability for the class it predicted
     */
    public double positiveProbability(int index, double score) {
        if (index < 0 || Double.isNaN(score) || classes != 2) {
            return Double.NaN;
        }
        return index == 1 ? score : 1 - score;
    }

    public Label label(String trueClass) {
        int index = indexOf(trueClass);
        return Label.ofClass(index < 0 ? Integer.MAX_VALUE : index);
    }
}
