package io.sextant.collector.analysis;

import io.sextant.collector.analysis.anomaly.Severity;

import java.util.Map;
import java.util.Objects;

/**
 * One thing the analysis noticed, in the single form the correlation stage, the API and the dashboard
 * read: a metric anomaly, a multivariate anomaly, a log anomaly, drift, a model-quality drop, a
 * predicted threshold crossing, or a change event (deployment, model version change, configuration
 * change, agent restart).
 *
 * <p>A signal is published again under the same {@code id} whenever it grows or ends; the latest
 * version wins. Ids are derived from the data (series and start time, template and window, ...) so a
 * replay of the journal yields the same ids.
 *
 * @param id           stable id, unique across kinds
 * @param kind         what kind of signal
 * @param source       the detector or stage that produced it ({@code sextant}, {@code iforest},
 *                     {@code template-rate}, {@code psi}, {@code deploy}, ...)
 * @param service      the service it concerns ("" when none)
 * @param subject      what it is about: a series key, a template id, {@code model/version/feature},
 *                     a model alias, ...
 * @param labels       labels of the subject (instance, model, version, template, ...); unmodifiable
 * @param startMillis  first anomalous point, or the time of a change event
 * @param endMillis    last anomalous point so far ({@code >= startMillis}); equal to start for a change
 * @param score        peak strength in [0, 1] (1 for a change event)
 * @param severity     severity
 * @param observed     the value at the peak (NaN when not a number)
 * @param expectedLow  lower bound of what was expected at the peak (NaN when unknown)
 * @param expectedHigh upper bound of what was expected at the peak (NaN when unknown)
 * @param open         true while the condition lasts; false once it has recovered (always false for a change)
 * @param summary      one human sentence
 */
public record Signal(String id, Kind kind, String source, String service, String subject, Map<String, String> labels,
                     long startMillis, long endMillis, double score, Severity severity, double observed,
                     double expectedLow, double expectedHigh, boolean open, String summary) {

    /** The kinds of signal. */
    public enum Kind {
        /** A single metric series left its expected range. */
        METRIC_ANOMALY,
        /** A combination of one service's or JVM's series is unusual. */
        MULTIVARIATE_ANOMALY,
        /** A log template appeared, spiked, vanished, or errors burst. */
        LOG_ANOMALY,
        /** A model feature or its predictions drifted from the reference. */
        DRIFT,
        /** A model's quality metric dropped once labels arrived. */
        QUALITY,
        /** A forecast says a threshold will be crossed (heap, disk, queue, latency SLO). */
        PREDICTED,
        /** Something was changed: a deployment, a model version or alias, a configuration, an agent restart. */
        CHANGE
    }

    public Signal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
        service = service == null ? "" : service;
        subject = subject == null ? "" : subject;
        summary = summary == null ? "" : summary;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("end " + endMillis + " before start " + startMillis);
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score outside [0, 1]: " + score);
        }
    }

    /** A change event at one instant. */
    public static Signal change(String id, String source, String service, String subject, Map<String, String> labels,
                                long timeMillis, String summary) {
        return new Signal(id, Kind.CHANGE, source, service, subject, labels, timeMillis, timeMillis, 1.0,
                Severity.INFO, Double.NaN, Double.NaN, Double.NaN, false, summary);
    }

    /** This signal, ended (recovered) at {@code endMillis}. */
    public Signal closed(long endMillis) {
        return new Signal(id, kind, source, service, subject, labels, startMillis, Math.max(this.endMillis, endMillis),
                score, severity, observed, expectedLow, expectedHigh, false, summary);
    }
}
