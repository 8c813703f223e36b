package io.sextant.collector.mlops.registry;

/**
 * One change of an alias, as kept in its history.
 *
 * @param model       model name
 * @param alias       alias name, e.g. {@code production}
 * @param fromVersion the version the alias pointed to before, null if it was unset
 * @param toVersion   the version it points to after
 * @param operation   {@code deploy}, {@code promote} or {@code rollback}
 * @param reason      free text given by the actor
 * @param actor       who did it
 * @param timestampMs epoch milliseconds
 * @param auditSeq    the audit record that holds this change
 */
public record AliasChange(String model, String alias, String fromVersion, String toVersion, String operation,
                          String reason, String actor, long timestampMs, long auditSeq) {
}
