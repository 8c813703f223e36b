package io.sextant.collector.store;

/**
 * Derived state outside the {@link SeriesStore} that the store tailer rebuilds from the journal (an
 * applier's connection dictionaries, the ingest's sequence high-water marks) and that a checkpoint
 * therefore has to hold. Both methods run on the store tailer thread.
 */
public interface CheckpointState
{
    /** Writes the state as of the last applied journal record. */
    void save(CheckpointOut out);

    /**
     * Replaces the state with a saved one. Series are referred to by id and resolved in {@code store},
     * which is loaded first.
     */
    void load(CheckpointIn in, SeriesStore store);
}
