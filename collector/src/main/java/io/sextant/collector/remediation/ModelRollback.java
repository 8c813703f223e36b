package io.sextant.collector.remediation;

import io.sextant.collector.mlops.registry.AliasChange;
import io.sextant.collector.mlops.registry.ModelRegistry;

/**
 * Rolls a model alias back, for the {@code model-rollback} action. The collector passes the live
 * registry ({@link #of(ModelRegistry)}); a test or another wiring may pass anything that does the same.
 */
@FunctionalInterface
public interface ModelRollback
{
    /**
     * @param model   model name
     * @param alias   alias, for example {@code production}
     * @param version the earlier version to return to, or "" for the one just before the current
     * @param actor   who asked (the rule, or the approver)
     * @param reason  why
     * @return one sentence saying what changed
     * @throws RuntimeException when the rollback is refused (no earlier version, unknown model, ...)
     */
    String rollback(String model, String alias, String version, String actor, String reason);

    /**
     * The registry's rollback. The registry has a single writer; this adapter serialises calls on the
     * registry object, so the caller that owns the registry must do its own writes under the same monitor
     * (or pass a {@code ModelRollback} that hands the call to the registry's thread instead).
     */
    static ModelRollback of(final ModelRegistry registry)
    {
        return (model, alias, version, actor, reason) ->
        {
            final AliasChange c;
            synchronized (registry)
            {
                c = version.isEmpty() ? registry.rollback(model, alias, actor, reason) :
                    registry.rollbackTo(model, alias, version, actor, reason);
            }
            return "alias " + c.alias() + " of model " + c.model() + " rolled back from " + c.fromVersion() + " to " +
                c.toVersion() + " (audit seq " + c.auditSeq() + ")";
        };
    }
}
