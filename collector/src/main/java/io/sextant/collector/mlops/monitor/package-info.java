/**
 * Inference monitoring per model version: request and error counts, latency quantiles, and feature and
 * prediction sketches in tumbling windows of event time; at each window's close, drift against the
 * version's reference (its training profile, a chosen version's recent windows, or its own trailing
 * windows) as {@link io.sextant.collector.mlops.drift.DriftRecord}s.
 *
 * <p>{@link io.sextant.collector.mlops.monitor.ModelMonitor} is plain single-writer state: the inference
 * tailer feeds it decoded records and event time; a listener receives each closed window.
 */
package io.sextant.collector.mlops.monitor;
