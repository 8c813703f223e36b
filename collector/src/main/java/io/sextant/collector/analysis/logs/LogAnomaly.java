package io.sextant.collector.analysis.logs;

import io.sextant.collector.analysis.anomaly.Severity;

import java.util.Objects;

/**
 * One log anomaly: an immutable record that the template statistics publish and that the API and the correlation
 * stage read, on the same severity scale as the metric anomalies.
 *
 * @param id deterministic id ({@code log:<service>:<kind>:<templateId>:<startMillis>}), so that replaying the journal
 *           reproduces the same ids
 * @param kind what was seen
 * @param templateId the template concerned ({@link #NO_TEMPLATE} when none stands out)
 * @param template the template text at the time of detection (empty when none)
 * @param service the service whose logs showed it
 * @param startMillis start of the anomalous span, Unix milliseconds
 * @param endMillis end of the anomalous span, Unix milliseconds, {@code >= startMillis}
 * @param score how anomalous, in [0, 1]
 * @param severity severity derived from the score
 * @param observed what was counted in the span (lines of the template, or error lines for a burst)
 * @param expected what the baseline expected in a span that long
 */
public record LogAnomaly(String id, Kind kind, int templateId, String template, String service, long startMillis,
                         long endMillis, double score, Severity severity, double observed, double expected) {

    /** Template id of an anomaly that concerns no single template. */
    public static final int NO_TEMPLATE = -1;

    /** Kinds of log anomaly. */
    public enum Kind {
        /** A template never seen before appeared at error level or above. */
        NEW_ERROR_TEMPLATE,
        /** A template's rate jumped far above its baseline. */
        RATE_SPIKE,
        /** A template that appeared steadily stopped appearing. */
        RATE_VANISHED,
        /** The service logged far more error-level lines than its baseline. */
        ERROR_BURST
    }

    public LogAnomaly {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(severity, "severity");
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("end " + endMillis + " before start " + startMillis);
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score outside [0, 1]: " + score);
        }
    }

    static LogAnomaly of(Kind kind, int templateId, String template, String service, long startMillis,
                         long endMillis, double score, double observed, double expected) {
        String id = "log:" + service + ':' + kind.name().toLowerCase(java.util.Locale.ROOT) + ':' + templateId + ':'
                + startMillis;
        return new LogAnomaly(id, kind, templateId, template, service, startMillis, endMillis, score,
                Severity.of(score), observed, expected);
    }
}
