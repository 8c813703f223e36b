package io.sextant.collector.mlops.quality;

/** Receives each prediction once its label has been joined to it. Called on the join's thread. */
@FunctionalInterface
public interface JoinSink {

    void joined(String model, String version, long predictionTimeMs, long labelTimeMs, Prediction prediction, Label label);
}
