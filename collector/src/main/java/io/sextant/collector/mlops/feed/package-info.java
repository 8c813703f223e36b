/**
 * The model-operations records the store tailer hands to the analysis thread through
 * {@link io.sextant.collector.store.StoreListener#onEvent}: decoded inference records, delayed labels,
 * model events from agents, and the notices the query API journals (labels posted over HTTP, a training
 * profile registered, an alias changed). All immutable; built on the store tailer thread, read on the
 * analysis thread, and rebuilt identically when the journal is replayed.
 */
package io.sextant.collector.mlops.feed;
