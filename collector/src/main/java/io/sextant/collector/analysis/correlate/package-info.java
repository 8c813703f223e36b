/**
 * Event correlation and root-cause ranking: {@link io.sextant.collector.analysis.correlate.CorrelationStage}
 * groups the signals of every kind into incidents online (time proximity, the service dependency graph, shared
 * labels, log-template similarity; duplicates folded in), ranks each incident's likely causes
 * ({@link io.sextant.collector.analysis.correlate.RootCauseRanker}) and publishes a thread-safe view that
 * {@link io.sextant.collector.analysis.correlate.IncidentsApi} serves as {@code /api/v1/incidents}.
 */
package io.sextant.collector.analysis.correlate;
