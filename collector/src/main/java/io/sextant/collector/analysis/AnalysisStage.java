package io.sextant.collector.analysis;

import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.MetricSeries;
import org.HdrHistogram.Histogram;

/**
 * One part of the streaming analysis (metric anomalies, log templates, model monitoring,
 * correlation, remediation). Every method is called on the single analysis thread, in journal order,
 * so a stage needs no locks for its own state; what it shows to HTTP threads it publishes through
 * thread-safe views. A replay of the journal calls the same methods with the same data, so a stage
 * that keys its work on event time rebuilds the same state.
 *
 * <p>Every method has an empty default: a stage overrides what it uses. A stage must not block.
 */
public interface AnalysisStage {

    /** Called once on the analysis thread before any data, with the means to publish. */
    default void start(AnalysisContext context) {
    }

    /** A metric sample. */
    default void onSample(MetricSeries series, long timeMillis, double value) {
    }

    /** A histogram snapshot (for example one agent interval of inference latencies). */
    default void onHistogram(HistogramSeries series, long timeMillis, Histogram snapshot) {
    }

    /** A log record. */
    default void onLog(LogEntry entry) {
    }

    /** Any other decoded record (see {@link io.sextant.collector.store.StoreListener#onEvent}). */
    default void onEvent(Object event) {
    }

    /** A signal another stage (or this one) published; the correlation stage listens here. */
    default void onSignal(Signal signal) {
    }

    /**
     * Time moved on: called about once a second of event time while replaying, and of wall-clock time
     * once live. {@code nowMillis} never goes backwards.
     */
    default void onTick(long nowMillis) {
    }

    /** The replay of the journal is done; what follows is live data. */
    default void onCaughtUp() {
    }

    /** The stage's name, for logs and errors. */
    default String name() {
        return getClass().getSimpleName();
    }
}
