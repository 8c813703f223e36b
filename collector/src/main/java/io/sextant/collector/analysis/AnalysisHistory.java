package io.sextant.collector.analysis;

import io.sextant.collector.store.CheckpointIn;
import io.sextant.collector.store.CheckpointOut;

/**
 * History of the analysis that a checkpoint keeps (the signals, the incidents, the log templates and their
 * counts), so that a restart from a checkpoint shows what a replay of the whole journal would, although it
 * re-feeds the analysis only the last {@code analysis-warmup} of journal. A stage implements this next to
 * {@link AnalysisStage}; the {@link AnalysisLoop} finds it and names it by {@link AnalysisStage#name()}.
 *
 * <p>Every method runs on the analysis thread: {@link #saveHistory} once the analysis has processed exactly
 * the journal records the checkpoint covers; {@link #loadHistory} before any record (the warm-up that
 * follows teaches the detectors, but what it publishes is dropped: the loaded history already holds it);
 * {@link #historyResumed} when the records that extend the loaded history begin.
 */
public interface AnalysisHistory {

    /** Writes the history as of the last record processed. */
    void saveHistory(CheckpointOut out);

    /** Replaces the history with a saved one; throws {@link IllegalStateException} when it is damaged. */
    void loadHistory(CheckpointIn in);

    /** The warm-up over records the loaded history already covers is done. */
    default void historyResumed() {
    }
}
