package io.sextant.collector.remediation;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;

import java.util.Map;

/**
 * What a remediation rule matches: an anomaly (any {@link Signal} except a change event) or an
 * incident. Remediation depends only on this view, so that any source of incidents can be adapted
 * to it.
 */
public interface Subject
{
    /** Whether the subject is a single anomaly or an incident grouping several. */
    enum Kind
    {
        /** A single signal (metric, log, drift, quality anomaly or prediction). */
        ANOMALY,
        /** An incident: anomalies grouped together, with ranked causes. */
        INCIDENT;

        /** @return the word used in rule files and JSON ({@code anomaly}, {@code incident}). */
        public String word()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return the stable id (a signal id or an incident id). */
    String id();

    /** @return anomaly or incident. */
    Kind kind();

    /**
     * @return what the subject is about, the same for repeated occurrences of one problem (a signal's
     *         series key or template, an incident's top cause or service); cooldowns are kept per rule
     *         and key.
     */
    String key();

    /** @return the service concerned ("" when none). */
    String service();

    /** @return severity. */
    Severity severity();

    /** @return a one-line human description. */
    String title();

    /** @return labels (instance, model, version, template, ...); never null. */
    Map<String, String> labels();

    /** @return for an anomaly the signal kind ({@code METRIC_ANOMALY}, {@code DRIFT}, ...); "" for an incident. */
    String signalKind();

    /**
     * @return the kind of the most likely cause ({@code service}, {@code metric}, {@code log-template},
     *         {@code deployment}, {@code model-version}, {@code jvm-resource}), "" when none is known.
     */
    String causeKind();

    /** @return what the most likely cause is about (a series, a template, a version), "" when none. */
    String causeSubject();

    /** @return the subject's JSON form, sent in webhook payloads and kept with the action. */
    Map<String, Object> json();

    /**
     * @param signal a signal.
     * @return the signal as an anomaly subject; null for a change event, which is context, not a problem.
     */
    static Subject of(final Signal signal)
    {
        return signal.kind() == Signal.Kind.CHANGE ? null : new SignalSubject(signal);
    }

    /**
     * @param incident an incident as the correlation stage publishes it.
     * @return the incident as a subject: its key is its top cause.
     */
    static Subject of(final io.sextant.collector.analysis.correlate.IncidentSnapshot incident)
    {
        return new IncidentSubject(incident);
    }
}
