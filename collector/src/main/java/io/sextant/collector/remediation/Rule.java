package io.sextant.collector.remediation;

/**
 * One remediation rule, as read from the rules file ({@link RuleFile}).
 *
 * @param name                  unique name, used in actions and the audit journal
 * @param match                 when it fires
 * @param action                what it does
 * @param dryRun                true: record what would be done, never do it (the default)
 * @param approvalRequired      true: an action waits in PENDING_APPROVAL until approved or rejected
 * @param rateLimitCount        at most this many actions of the rule within {@code rateLimitPeriodMillis}
 * @param rateLimitPeriodMillis the rate-limit window
 * @param cooldownMillis        after an action for a subject key, further matches of that key are
 *                              suppressed for this long (0: no cooldown)
 * @param approvalTimeoutMillis a pending action not decided within this long is rejected
 */
record Rule(String name, Match match, ActionSpec action, boolean dryRun, boolean approvalRequired,
    int rateLimitCount, long rateLimitPeriodMillis, long cooldownMillis, long approvalTimeoutMillis)
{
}
