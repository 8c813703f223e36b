/**
 * The tamper-evident audit journal: an append-only file of records in which each record carries the
 * SHA-256 of the previous one (a hash chain over a canonical byte encoding), and a verifier that names
 * the first record that was changed, removed, inserted or reordered.
 *
 * <p>Model-registry changes, remediation actions and configuration changes are appended here by one
 * writer thread. The chain makes silent edits detectable; it cannot stop someone with write access from
 * rewriting the whole file and its head consistently, so the head hash ({@link
 * io.sextant.collector.audit.AuditJournal#head()}) is what to publish or copy elsewhere as an anchor.
 */
package io.sextant.collector.audit;
