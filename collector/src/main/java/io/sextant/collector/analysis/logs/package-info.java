/**
 * Log intelligence: a streaming template miner that turns each log line into a template with a stable id
 * ({@link io.sextant.collector.analysis.logs.TemplateMiner}), per-template statistics over time windows, and the log
 * anomalies derived from them ({@link io.sextant.collector.analysis.logs.TemplateStatistics},
 * {@link io.sextant.collector.analysis.logs.LogAnomaly}).
 *
 * <p>Everything here is single-writer: one analysis thread owns a miner and its statistics and feeds them one line
 * at a time. Readers get immutable snapshots ({@link io.sextant.collector.analysis.logs.LogTemplate},
 * {@link io.sextant.collector.analysis.logs.TemplateStats}, {@link io.sextant.collector.analysis.logs.LogAnomaly}).
 *
 * <p><b>Wiring</b> (the journal tailer that owns this state): for each log record, {@code id = pattern != null ?
 * miner.matchPattern(pattern) : miner.match(message)}, then {@code statistics.record(id, level.code(),
 * timeMillis)} on the service's {@code TemplateStatistics} (one per service; the miner may be shared by the services
 * of one tailer), and {@code statistics.advance(now)} once per duty cycle so that silent templates are judged.
 * Anomalies arrive on the listener, on the same thread. For {@code /api/v1/logs/templates} the owner publishes, on
 * its own schedule, an immutable list built from {@code miner.templates()} and {@code statistics.stats(id)}. A
 * template id can be folded into another when the latter gains a variable; {@code miner.resolve(id)} maps old ids.
 */
package io.sextant.collector.analysis.logs;
