package io.sextant.collector.remediation;

/**
 * The life of a remediation action. Terminal states: DRY_RUN, REJECTED, SUCCEEDED, FAILED,
 * RATE_LIMITED, COOLDOWN.
 *
 * <pre>
 *   match ─┬─ RATE_LIMITED | COOLDOWN        (suppressed; the rule's limits applied)
 *          ├─ DRY_RUN                        (what would have been done, recorded only)
 *          ├─ PENDING_APPROVAL ─┬─ APPROVED ─ RUNNING ─┬─ SUCCEEDED
 *          │                    └─ REJECTED            └─ FAILED
 *          └─ APPROVED (no approval needed) ─ RUNNING ─ ...
 * </pre>
 */
public enum ActionState
{
    /** The rule is in dry-run: recorded what it would have done, did nothing. */
    DRY_RUN,
    /** Waits for a person to approve or reject it. */
    PENDING_APPROVAL,
    /** Cleared to run (by a person, or by a rule that needs no approval); queued. */
    APPROVED,
    /** Rejected by a person, or not decided within the rule's approval timeout. */
    REJECTED,
    /** Being carried out. */
    RUNNING,
    /** Done; the result says what came back. */
    SUCCEEDED,
    /** Failed, timed out, or could not be started; the result says why. */
    FAILED,
    /** Suppressed: the rule already acted its rate limit's worth within the period. */
    RATE_LIMITED,
    /** Suppressed: the rule acted for the same subject key within its cooldown. */
    COOLDOWN;

    /** @return true when nothing further happens to an action in this state. */
    public boolean terminal()
    {
        return this != PENDING_APPROVAL && this != APPROVED && this != RUNNING;
    }
}
