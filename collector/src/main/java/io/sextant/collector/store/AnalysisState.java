package io.sextant.collector.store;

import java.util.concurrent.CompletableFuture;

/**
 * The analysis side of a checkpoint, as the store tailer sees it. The analysis runs on its own thread and
 * may lag the store, so the tailer never reads analysis state itself: it asks, in the same ordered stream
 * that hands the analysis its records, for an image taken once the analysis has processed exactly the
 * records the store has applied; the checkpoint writer waits for it. Both methods are called on the store
 * tailer thread, between two records.
 */
public interface AnalysisState
{
    /**
     * Asks for an image of the analysis history as of journal record {@code index} (the last one handed
     * over). The future completes on the analysis thread once it reaches that point.
     */
    CompletableFuture<byte[]> capture(long index);

    /**
     * At a restart: every record handed over so far was warm-up for an analysis whose history was loaded
     * from a checkpoint (detectors learn, nothing is published); what follows extends that history.
     */
    void historyResumes();

    /**
     * The journal index a saved analysis image covers (its first long), or -1 when there is none.
     */
    static long indexOf(final byte[] image)
    {
        if (image == null || image.length < 8)
        {
            return -1;
        }
        return new CheckpointIn(image, 0, image.length).getLong();
    }
}
