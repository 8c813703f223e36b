/**
 * Model quality once labels arrive: a bounded join of predictions and late labels by prediction id, and
 * classification and regression metrics over windows, per model version.
 *
 * <p>The join's state is derived from the ingest journal: it depends only on the order and timestamps of
 * prediction and label events, never on the wall clock, so after a restart replaying the journal from
 * {@code now - horizon} rebuilds exactly the same pending predictions and the same metrics.
 */
package io.sextant.collector.mlops.quality;
