package io.sextant.collector.mlops.monitor;

/**
 * Adds the parts of one inference record to its version's current window. Returned by {@link
 * ModelMonitor#record}; valid until the next call to the monitor. Allocation-free once the feature has
 * been seen.
 */
public interface Recorder {

    Recorder numeric(String feature, double value);

    Recorder categorical(String feature, String value);

    /** The predicted class of a classifier. */
    Recorder predictedClass(String label);

    /** The predicted value of a regression. */
    Recorder predictedNumber(double value);

    /** The model's score or probability for its prediction (NaN: none). */
    Recorder score(double score);
}
