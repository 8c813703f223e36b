/**
 * Log intelligence: a streaming template miner that turns each log line into a template with a stable id
 * ({@link io.sextant.collector.analysis.logs.TemplateMiner}), per-template statistics over time windows, and the log
 * anomalies derived from them ({@link io.sextant.collector.analysis.logs.TemplateStatistics},
 * {@link io.sextant.collector.analysis.logs.LogAnomaly}).
 *
 * <p>Everything here is single-writer: one analysis thread owns a miner and its statistics and feeds them one line
 * at a time. Readers get immutable snapshots ({@link io.sextant.collector.analysis.logs.LogTemplate},
 * {@link io.sextant.collector.analysis.logs.LogAnomaly}).
 */
package io.sextant.collector.analysis.logs;
