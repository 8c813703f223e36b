package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;

import java.util.List;

/**
 * An immutable copy of one incident as the API shows it; made on the analysis thread, read on any.
 *
 * @param id          stable id (derived from the first member's id and start, so a replay yields the same)
 * @param title       one line
 * @param state       {@code OPEN} or {@code RESOLVED}
 * @param severity    the highest member severity
 * @param startMillis earliest member start
 * @param endMillis   latest member end (the resolution time once resolved)
 * @param services    services involved, sorted
 * @param predicted   true for an incident made of predictions ({@code PREDICTED} signals)
 * @param members     members with the reason each was grouped
 * @param timeline    what happened, in order
 * @param causes      ranked candidate causes
 */
public record IncidentSnapshot(String id, String title, String state, Severity severity, long startMillis,
                               long endMillis, List<String> services, boolean predicted, List<Member> members,
                               List<Event> timeline, List<Cause> causes) {

    /** One grouped signal. {@code occurrences} counts the times the same subject was folded in. */
    public record Member(Signal signal, String reason, int occurrences) {
    }

    /** One entry of the timeline. */
    public record Event(long timeMillis, String what, String signalId, String text) {
    }

    public boolean open() {
        return state.equals("OPEN");
    }
}
