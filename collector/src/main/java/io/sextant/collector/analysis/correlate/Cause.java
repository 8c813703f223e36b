package io.sextant.collector.analysis.correlate;

import java.util.List;

/**
 * One ranked candidate cause of an incident.
 *
 * @param rank     1 for the most likely cause
 * @param kind     {@code service}, {@code metric}, {@code log-template}, {@code deployment}, {@code model-version}
 *                 or {@code jvm-resource}
 * @param subject  what: a service name, a metric series, a template, a change's subject
 * @param service  the service it belongs to ("" when none)
 * @param score    in [0, 1]; higher is more likely
 * @param evidence human sentences saying why
 */
public record Cause(int rank, String kind, String subject, String service, double score, List<String> evidence) {

    public Cause {
        evidence = List.copyOf(evidence);
    }

    Cause ranked(int newRank) {
        return new Cause(newRank, kind, subject, service, score, evidence);
    }
}
