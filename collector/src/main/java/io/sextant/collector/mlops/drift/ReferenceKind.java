package io.sextant.collector.mlops.drift;

/** What a drift test compared against. */
public enum ReferenceKind {
    /** The training-data profile registered with the model version. */
    TRAINING_PROFILE,
    /** A window of a chosen (usually the baseline) version. */
    VERSION_WINDOW,
    /** The trailing windows of the same version just before the current one. */
    TRAILING_WINDOW
}
