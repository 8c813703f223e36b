/**
 * The durable journal: a Chronicle Queue in the data folder, written by exactly one thread (the
 * {@link io.sextant.collector.journal.JournalWriter}) that drains a many-to-one ring buffer filled by
 * the ingest threads, appends each record with a small header, and then tells the record's
 * {@link io.sextant.collector.journal.JournalClient} so that it can acknowledge. Retention deletes old
 * roll cycles; the current cycle is never deleted.
 */
package io.sextant.collector.journal;
