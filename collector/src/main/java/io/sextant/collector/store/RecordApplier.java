package io.sextant.collector.store;

import org.agrona.DirectBuffer;

/**
 * Applies one kind of journal record to the store. Called on the store tailer thread only.
 */
public interface RecordApplier
{
    /**
     * @param buffer holding the record (journal header and body).
     * @param length of the record.
     */
    void apply(DirectBuffer buffer, int length);
}
