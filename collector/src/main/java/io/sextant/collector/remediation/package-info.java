/**
 * Safe automated remediation: rules read from a JSON file match anomalies and incidents
 * ({@link io.sextant.collector.remediation.Subject}) and create actions (an HTTP webhook, an agent
 * command, a model alias rollback) that pass through dry-run, approval, rate-limit and cooldown
 * checks; every action and its result goes into the audit journal. The format is documented in
 * {@code collector/README-remediation.md}.
 */
package io.sextant.collector.remediation;
