package io.sextant.collector.mlops.feed;

/**
 * An alias change made through the query API or the CLI, journaled after its audit record so that the
 * analysis sees it in order with the traffic (a CHANGE signal, the new drift reference).
 *
 * @param model       model name
 * @param alias       alias, e.g. {@code production}
 * @param fromVersion the version before, null when the alias was unset
 * @param toVersion   the version after
 * @param operation   {@code deploy}, {@code promote} or {@code rollback}
 * @param reason      free text
 * @param actor       who did it
 * @param timeMillis  when, Unix epoch milliseconds
 * @param auditSeq    the audit record of the change
 */
public record AliasChanged(String model, String alias, String fromVersion, String toVersion, String operation,
                           String reason, String actor, long timeMillis, long auditSeq) {
}
