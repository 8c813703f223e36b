package io.sextant.collector.api;

import io.sextant.collector.store.LogEntry;

/**
 * The log-template ids the analysis assigned to stored log records, for the log search
 * ({@code /api/v1/logs?template=ID} and the {@code templateId} of each entry). An {@link ApiModule}
 * that also implements this interface is used by {@link QueryApi} for that.
 *
 * <p>Called on HTTP executor threads: implementations read thread-safe views only. A record stored
 * but not yet analysed has no id yet (the store tailer stores a record before handing it to the
 * analysis), so an answer may lag the log search by the analysis backlog.
 */
public interface LogTemplateIds
{
    /**
     * @param entry a record returned by the log store.
     * @return the id of the template the record belongs to now (following folds of one template into
     *         another), or null when it has not been analysed yet or matched no template.
     */
    String templateId(LogEntry entry);

    /**
     * @param id a template id, possibly of a template since folded into another.
     * @return the id it stands for now (itself when it was not folded), or null when unknown.
     */
    String resolve(String id);
}
