package io.sextant.collector.remediation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One remediation action as it stands: an immutable snapshot, replaced as a whole on every change.
 *
 * @param id             unique id
 * @param rule           the rule that created it
 * @param kind           {@code webhook}, {@code agent-command} or {@code model-rollback}
 * @param subject        the subject's JSON form
 * @param subjectId      the subject's id (a signal or incident id)
 * @param subjectKind    anomaly or incident
 * @param state          current state
 * @param createdMillis  when the rule matched
 * @param updatedMillis  when the state last changed
 * @param detail         what the action does (URL, command and agent, model and alias), plus why it
 *                       was suppressed when it was
 * @param result         what came back (status and output, or the failure), null until it ran
 * @param actor          who made the last change ({@code system} for the rule engine)
 * @param reason         why the last change was made
 * @param dryRun         the rule was in dry-run
 * @param approvalRequired the rule needs approval
 */
public record Action(String id, String rule, String kind, Map<String, Object> subject, String subjectId,
    Subject.Kind subjectKind, ActionState state, long createdMillis, long updatedMillis, Map<String, Object> detail,
    String result, String actor, String reason, boolean dryRun, boolean approvalRequired)
{
    /** The actor name of the rule engine itself. */
    public static final String SYSTEM = "system";

    /** @return a copy in a new state. */
    Action to(final ActionState next, final long timeMillis, final String byActor, final String why,
        final String newResult)
    {
        return new Action(id, rule, kind, subject, subjectId, subjectKind, next, createdMillis, timeMillis, detail,
            newResult == null ? result : newResult, byActor, why, dryRun, approvalRequired);
    }

    /** @return the JSON form served by {@code /api/v1/actions} (times in Unix seconds). */
    public Map<String, Object> json()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("rule", rule);
        m.put("incident", subjectId);
        m.put("subjectKind", subjectKind.word());
        m.put("kind", kind);
        m.put("state", state.name());
        m.put("created", createdMillis / 1000.0);
        m.put("updated", updatedMillis / 1000.0);
        m.put("detail", detail);
        m.put("result", result);
        m.put("actor", actor);
        m.put("reason", reason);
        m.put("dryRun", dryRun);
        m.put("approvalRequired", approvalRequired);
        m.put("subject", subject);
        return m;
    }
}
