package io.sextant.collector.analysis;

import io.sextant.collector.store.SeriesStore;

/**
 * What a stage can reach from the analysis thread.
 */
public interface AnalysisContext {

    /**
     * Publishes a new or updated signal: it is stored for the API and handed to every stage's
     * {@link AnalysisStage#onSignal} (after the current call returns). Analysis thread only.
     */
    void publish(Signal signal);

    /** The store (read its series; only the store tailer writes it). */
    SeriesStore store();

    /** The signals published so far (thread-safe view). */
    SignalLog signals();

    /** True while the journal is being replayed after start-up (act on nothing outside the process then). */
    boolean replaying();

    /** Event time: the newest time seen, never backwards. */
    long nowMillis();
}
