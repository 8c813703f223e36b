/**
 * The model registry: datasets, model versions and aliases ({@code production}, {@code candidate}, ...)
 * with their full history.
 *
 * <p>The registry's state is a fold over the audit journal: every operation first appends its event to
 * the {@link io.sextant.collector.audit.AuditJournal} and only then changes the in-memory state, and
 * {@link io.sextant.collector.mlops.registry.ModelRegistry#open} rebuilds the state by replaying the
 * journal. So the audit trail and the registry can never disagree.
 */
package io.sextant.collector.mlops.registry;
