/**
 * The collector process: {@link io.sextant.collector.Collector} wires the journal, ingest servers,
 * store tailer and query API together and exposes their health.
 */
package io.sextant.collector;
