package io.sextant.collector.remediation;

import io.sextant.collector.audit.AuditJournal;

import java.io.IOException;

/**
 * Where remediation appends its audit records: the collector's audit journal, reached the way its owner
 * allows. The journal has a single writer; when another component owns it on its own thread, pass a sink
 * that hands the append to that thread and waits for it.
 */
@FunctionalInterface
public interface AuditSink
{
    /**
     * Appends one record; returns once it is written (or throws).
     *
     * @param type   record type ({@value RemediationStage#AUDIT_TYPE})
     * @param actor  who made the change
     * @param body   a Jackson-serialisable body
     * @param timeMs when, epoch milliseconds
     */
    void append(String type, String actor, Object body, long timeMs) throws IOException;

    /**
     * A sink that appends to {@code journal} directly, holding the journal's monitor: correct when every
     * other writer of the journal holds it too (or there is none).
     */
    static AuditSink of(final AuditJournal journal)
    {
        return (type, actor, body, timeMs) ->
        {
            synchronized (journal)
            {
                journal.append(type, actor, body, timeMs);
            }
        };
    }
}
