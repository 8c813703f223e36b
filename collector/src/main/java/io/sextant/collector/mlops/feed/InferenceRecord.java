package io.sextant.collector.mlops.feed;

import java.util.List;

/**
 * One inference as the agent recorded it.
 *
 * @param service         the agent's service
 * @param instance        the agent id
 * @param model           model name
 * @param version         model version
 * @param timeMillis      when it finished, Unix epoch milliseconds
 * @param latencyNanos    how long the model took
 * @param error           true when the call failed
 * @param predictedClass  the predicted class of a classifier, null otherwise
 * @param predictedNumber the predicted value of a regression, NaN otherwise
 * @param score           the model's probability or confidence for its prediction, NaN when absent
 * @param predictionId    the id a later label refers to, null when none
 * @param numericNames    numeric feature names (same length as numericValues)
 * @param numericValues   numeric feature values
 * @param categoricalNames  categorical feature names
 * @param categoricalValues categorical feature values
 */
public record InferenceRecord(String service, String instance, String model, String version, long timeMillis,
                              long latencyNanos, boolean error, String predictedClass, double predictedNumber,
                              double score, String predictionId, List<String> numericNames, double[] numericValues,
                              List<String> categoricalNames, List<String> categoricalValues) {

    public InferenceRecord {
        numericNames = List.copyOf(numericNames);
        numericValues = numericValues.clone();
        categoricalNames = List.copyOf(categoricalNames);
        categoricalValues = List.copyOf(categoricalValues);
        if (numericNames.size() != numericValues.length || categoricalNames.size() != categoricalValues.size()) {
            throw new IllegalArgumentException("feature names and values differ in length");
        }
    }

    /** A numeric feature value (a copy is not made: do not change the array). */
    public double numericValue(int i) {
        return numericValues[i];
    }
}
