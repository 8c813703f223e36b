package io.sextant.collector.journal;

import org.agrona.DirectBuffer;

/**
 * The producer of a stream of ring messages (an agent connection, an OTLP channel), told by the
 * journal writer what happened to its records. Every callback runs on the journal-writer thread and
 * must not block: hand work back to the client's own thread (for example its Netty event loop).
 */
public interface JournalClient
{
    /**
     * Decides whether a record is appended (for example drops a duplicate sequence number). Runs on
     * the writer thread, which is the only thread that changes journaled-sequence state.
     *
     * @param buffer holding the record.
     * @param offset of the record header.
     * @param length of the record.
     * @return true to append it.
     */
    boolean admit(DirectBuffer buffer, int offset, int length);

    /**
     * The record is in the journal (mapped memory; synced too when sync is on).
     *
     * @param buffer holding the record.
     * @param offset of the record header.
     * @param length of the record.
     */
    void journaled(DirectBuffer buffer, int offset, int length);

    /**
     * End of a writer batch in which this client had records: the moment to acknowledge.
     */
    void batchDone();
}
