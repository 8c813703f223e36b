/**
 * The in-memory series store, derived from the journal: Gorilla-compressed metric chunks, histogram
 * series, recent logs, the label index and the cardinality limit. One tailer thread writes it;
 * query threads read published, immutable snapshots and safely published chunks.
 */
package io.sextant.collector.store;
