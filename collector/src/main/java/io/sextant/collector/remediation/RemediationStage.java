package io.sextant.collector.remediation;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.config.Settings;
import io.sextant.collector.ingest.AgentCommands;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Remediation: matches every anomaly ({@link #onSignal}) and incident ({@link #onIncident}) against the
 * rules, applies each rule's rate limit and cooldown, and creates actions that are recorded only (dry
 * run), wait for approval, or run at once. Nothing is done while the journal is being replayed: a replay
 * repeats the past, and the past was already acted on.
 *
 * <p>Threads and ownership:
 * <ul>
 *   <li>the analysis thread matches rules and owns the rate-limit, cooldown and "already fired" state;
 *       it never waits: it hands each new action to the control thread;</li>
 *   <li>one control thread ({@code sextant-remediation-audit}) publishes new actions and appends every
 *       state change to the audit journal, in order, so an action's records are never out of order;</li>
 *   <li>a small bounded pool ({@code sextant-remediation}, {@value #WORKERS} threads, queue of
 *       {@value #WORK_QUEUE}) carries actions out, each bounded by its rule's timeout; a worker appends
 *       RUNNING to the audit journal before it acts, and does not act if that fails;</li>
 *   <li>HTTP threads approve and reject ({@link #approve}, {@link #reject}).</li>
 * </ul>
 * The audit journal is appended under its own monitor ({@code synchronized (journal)}); any other writer
 * of the same journal must do the same.
 *
 * <p>Lifecycle: built with its rules, registered as a stage and an API module, {@link #close()}d with
 * the collector (pending and queued actions are then dropped: nothing runs without a live approval).
 */
public final class RemediationStage implements AnalysisStage, AutoCloseable
{
    /** Audit record type of every action state change. */
    public static final String AUDIT_TYPE = "remediation.action";
    static final int WORKERS = 2;
    static final int WORK_QUEUE = 64;
    static final int CONTROL_QUEUE = 4096;
    static final int ACTION_CAPACITY = 10_000;
    static final int AUDIT_RESULT_CHARS = 4_096;
    private static final int FIRED_CAPACITY = 100_000;
    private static final long APPROVAL_AUDIT_WAIT_MILLIS = 10_000;

    private final List<Rule> rules;
    private final Map<String, Rule> rulesByName = new HashMap<>();
    private final AuditJournal journal;
    private final ActionRunner runner;
    private final LongSupplier wallClock;
    private final Consumer<String> log;
    private final ActionLog actions = new ActionLog(ACTION_CAPACITY);
    private final ThreadPoolExecutor control;
    private final ThreadPoolExecutor workers;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong auditFailures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    // Analysis thread only.
    private AnalysisContext context;
    private final Map<String, ArrayDeque<Long>> fireTimes = new HashMap<>();
    private final Map<String, Long> lastActed = new HashMap<>();
    private final LinkedHashMap<String, Boolean> fired = new LinkedHashMap<>(1024, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest)
        {
            return size() > FIRED_CAPACITY;
        }
    };

    /**
     * @param rules     the rules, in the order they are tried (every matching rule fires)
     * @param journal   the audit journal every action and result is appended to
     * @param agents    how to reach connected agents (null: agent-command actions fail)
     * @param models    how to roll a model alias back (null: model-rollback actions fail)
     * @param wallClock epoch milliseconds: action times, rate limits, cooldowns and approval timeouts
     * @param log       where state changes are logged
     */
    public RemediationStage(final List<Rule> rules, final AuditJournal journal, final AgentCommands agents,
        final ModelRollback models, final LongSupplier wallClock, final Consumer<String> log)
    {
        this.rules = List.copyOf(rules);
        for (final Rule r : this.rules)
        {
            rulesByName.put(r.name(), r);
        }
        this.journal = journal;
        this.runner = new ActionRunner(agents, models);
        this.wallClock = wallClock;
        this.log = log;
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(CONTROL_QUEUE),
            daemon("sextant-remediation-audit"));
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WORK_QUEUE), daemon("sextant-remediation"));
    }

    /**
     * The stage as configured: rules from {@code sextant.collector.remediation-rules} (none when unset).
     *
     * @throws io.sextant.collector.config.ConfigException when the rules file is missing or wrong.
     */
    public static RemediationStage fromConfig(final CollectorConfig config, final AuditJournal journal,
        final AgentCommands agents, final ModelRollback models, final Consumer<String> log)
    {
        final String file = config.string(Settings.REMEDIATION_RULES);
        final List<Rule> rules = file.isEmpty() ? List.of() : RuleFile.read(java.nio.file.Path.of(file));
        if (!file.isEmpty())
        {
            log.accept("remediation: " + rules.size() + " rules from " + file + " (" +
                rules.stream().filter(Rule::dryRun).count() + " in dry-run)");
        }
        return new RemediationStage(rules, journal, agents, models, System::currentTimeMillis, log);
    }

    private static java.util.concurrent.ThreadFactory daemon(final String name)
    {
        return r ->
        {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    // ---- analysis thread -------------------------------------------------------------------------

    @Override
    public void start(final AnalysisContext context)
    {
        this.context = context;
    }

    @Override
    public void onSignal(final Signal signal)
    {
        final Subject subject = Subject.of(signal);
        if (subject != null)
        {
            onIncident(subject);
        }
    }

    /**
     * Matches a subject (an incident, or an anomaly) against the rules. Analysis thread; does nothing
     * while the journal is replaying. Each rule fires at most once per subject id (a subject published
     * again as it grows does not fire again).
     */
    public void onIncident(final Subject subject)
    {
        if (rules.isEmpty() || context == null || context.replaying())
        {
            return;
        }
        // Remediation is live-only, so its limits run on the wall clock, not on event time.
        final long now = wallClock.getAsLong();
        for (final Rule rule : rules)
        {
            final String firedKey = rule.name() + '\u0000' + subject.id();
            if (fired.containsKey(firedKey) || !rule.match().matches(subject))
            {
                continue;
            }
            fired.put(firedKey, Boolean.TRUE);
            create(rule, subject, now);
        }
    }

    @Override
    public void onTick(final long eventMillis)
    {
        final long nowMillis = wallClock.getAsLong();
        for (final String id : pending)
        {
            final Action a = actions.get(id);
            final Rule rule = a == null ? null : rulesByName.get(a.rule());
            if (rule == null || nowMillis - a.createdMillis() < rule.approvalTimeoutMillis())
            {
                continue;
            }
            final Action rejected = actions.transition(id, EnumSet.of(ActionState.PENDING_APPROVAL),
                x -> x.to(ActionState.REJECTED, wallClock.getAsLong(), Action.SYSTEM,
                    "not approved within " + rule.approvalTimeoutMillis() / 1000 + " s", null));
            pending.remove(id);
            if (rejected != null)
            {
                audit(rejected, null);
            }
        }
    }

    private void create(final Rule rule, final Subject subject, final long now)
    {
        final ArrayDeque<Long> times = fireTimes.computeIfAbsent(rule.name(), k -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= rule.rateLimitPeriodMillis())
        {
            times.pollFirst();
        }
        final String cooldownKey = rule.name() + '\u0000' + subject.key();
        final Long last = lastActed.get(cooldownKey);
        final Map<String, Object> detail = detail(rule, subject);
        final ActionState state;
        String reason;
        if (last != null && rule.cooldownMillis() > 0 && now - last < rule.cooldownMillis())
        {
            state = ActionState.COOLDOWN;
            reason = "rule acted for '" + subject.key() + "' " + (now - last) / 1000 + " s ago; cooldown " +
                rule.cooldownMillis() / 1000 + " s";
        }
        else if (times.size() >= rule.rateLimitCount())
        {
            state = ActionState.RATE_LIMITED;
            reason = "rule already acted " + times.size() + " times in the last " + rule.rateLimitPeriodMillis() / 1000 +
                " s (limit " + rule.rateLimitCount() + ")";
        }
        else
        {
            times.addLast(now);
            lastActed.put(cooldownKey, now);
            if (rule.dryRun())
            {
                state = ActionState.DRY_RUN;
                reason = "dry run: recorded, not done";
            }
            else if (rule.approvalRequired())
            {
                state = ActionState.PENDING_APPROVAL;
                reason = "waiting for approval";
            }
            else
            {
                state = ActionState.APPROVED;
                reason = "no approval required";
            }
        }
        ActionState initial = state;
        String result = null;
        if (detail.containsKey("problem") && (state == ActionState.APPROVED || state == ActionState.PENDING_APPROVAL))
        {
            initial = ActionState.FAILED;
            result = String.valueOf(detail.get("problem"));
            reason = "cannot be carried out";
        }
        final Action action = new Action(nextId(now), rule.name(), rule.action().kind(), subject.json(), subject.id(),
            subject.kind(), initial, now, now, Map.copyOf(detail), result, Action.SYSTEM, reason, rule.dryRun(),
            rule.approvalRequired());
        try
        {
            control.execute(() -> publish(action));
        }
        catch (final RejectedExecutionException ex)
        {
            // The control thread is far behind (the audit journal is stuck): do nothing we cannot record.
            dropped.incrementAndGet();
            actions.add(action.to(ActionState.FAILED, now, Action.SYSTEM, "not recorded",
                "remediation audit queue full; not acted on"));
        }
    }

    private String nextId(final long now)
    {
        return "a" + Long.toString(now, 36) + "-" + ids.incrementAndGet();
    }

    private static Map<String, Object> detail(final Rule rule, final Subject subject)
    {
        final Map<String, Object> d = new LinkedHashMap<>();
        final ActionSpec spec = rule.action();
        if (spec instanceof ActionSpec.Webhook w)
        {
            d.put("url", w.url().toString());
            d.put("method", "POST");
        }
        else if (spec instanceof ActionSpec.AgentCommand c)
        {
            final String service = c.service().isEmpty() ? subject.service() : c.service();
            d.put("command", c.command().name());
            d.put("arguments", c.arguments());
            d.put("service", service);
            d.put("agent", c.service().isEmpty() ? subject.labels().getOrDefault("instance", "") : "");
            if (service.isEmpty() && String.valueOf(d.get("agent")).isEmpty())
            {
                d.put("problem", "the subject names no service or agent instance and the rule names no service");
            }
        }
        else if (spec instanceof ActionSpec.ModelRollback r)
        {
            final String model = r.model().isEmpty() ? subject.labels().getOrDefault("model", "") : r.model();
            d.put("model", model);
            d.put("alias", r.alias());
            d.put("version", r.version());
            if (model.isEmpty())
            {
                d.put("problem", "the rule names no model and the subject has no 'model' label");
            }
        }
        d.put("timeoutMillis", spec.timeoutMillis());
        return d;
    }

    // ---- control thread --------------------------------------------------------------------------

    private void publish(final Action action)
    {
        actions.add(action);
        if (action.state() == ActionState.PENDING_APPROVAL)
        {
            pending.add(action.id());
        }
        log.accept("remediation: rule " + action.rule() + " -> " + action.kind() + " " + action.id() + " " +
            action.state() + " for " + action.subjectId());
        if (!append(action) && action.state() == ActionState.APPROVED)
        {
            fail(action.id(), EnumSet.of(ActionState.APPROVED), "could not be audited; not acted on");
            return;
        }
        if (action.state() == ActionState.APPROVED)
        {
            dispatch(action.id());
        }
    }

    private boolean append(final Action a)
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", a.id());
        body.put("rule", a.rule());
        body.put("kind", a.kind());
        body.put("state", a.state().name());
        body.put("subjectId", a.subjectId());
        body.put("subjectKind", a.subjectKind().word());
        body.put("detail", a.detail());
        body.put("reason", a.reason());
        body.put("dryRun", a.dryRun());
        if (a.result() != null)
        {
            body.put("result", ActionRunner.cut(a.result(), AUDIT_RESULT_CHARS));
        }
        try
        {
            synchronized (journal)
            {
                journal.append(AUDIT_TYPE, a.actor(), body, a.updatedMillis());
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (auditFailures.incrementAndGet() <= 10)
            {
                log.accept("remediation: could not append action " + a.id() + " to the audit journal: " + ex);
            }
            return false;
        }
    }

    /** Hands an audit append to the control thread; the future says whether it was written. */
    private CompletableFuture<Boolean> audit(final Action a, final Runnable then)
    {
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        try
        {
            control.execute(() ->
            {
                final boolean ok = append(a);
                done.complete(ok);
                if (ok && then != null)
                {
                    then.run();
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            auditFailures.incrementAndGet();
            done.complete(false);
        }
        return done;
    }

    private void dispatch(final String id)
    {
        try
        {
            workers.execute(() -> run(id));
        }
        catch (final RejectedExecutionException ex)
        {
            fail(id, EnumSet.of(ActionState.APPROVED), "remediation workers busy (" + WORK_QUEUE +
                " actions queued); not acted on");
        }
    }

    private void fail(final String id, final Set<ActionState> from, final String why)
    {
        final Action failed = actions.transition(id, from,
            a -> a.to(ActionState.FAILED, wallClock.getAsLong(), Action.SYSTEM, "not carried out", why));
        if (failed != null)
        {
            append(failed);
        }
    }

    // ---- worker threads --------------------------------------------------------------------------

    private void run(final String id)
    {
        final Action running = actions.transition(id, EnumSet.of(ActionState.APPROVED),
            a -> a.to(ActionState.RUNNING, wallClock.getAsLong(), a.actor(), a.reason(), null));
        if (running == null)
        {
            return;
        }
        if (!await(audit(running, null)))
        {
            finish(id, ActionState.FAILED, "could not be audited; not acted on");
            return;
        }
        final Rule rule = rulesByName.get(running.rule());
        try
        {
            finish(id, ActionState.SUCCEEDED, runner.run(rule, running));
        }
        catch (final ActionRunner.Failure ex)
        {
            finish(id, ActionState.FAILED, ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            finish(id, ActionState.FAILED, "interrupted: the collector is stopping");
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            finish(id, ActionState.FAILED, "failed: " + ex);
        }
    }

    private void finish(final String id, final ActionState state, final String result)
    {
        final Action done = actions.transition(id, EnumSet.of(ActionState.RUNNING),
            a -> a.to(state, wallClock.getAsLong(), Action.SYSTEM, state == ActionState.SUCCEEDED ? "done" :
                "failed", result));
        if (done != null)
        {
            log.accept("remediation: " + done.kind() + " " + id + " " + state);
            audit(done, null);
        }
    }

    private static boolean await(final CompletableFuture<Boolean> f)
    {
        try
        {
            return f.get(APPROVAL_AUDIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            return false;
        }
    }

    // ---- HTTP threads ----------------------------------------------------------------------------

    /** Why an approval or rejection was refused. */
    public static final class NotPendingException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        NotPendingException(final String message)
        {
            super(message);
        }
    }

    /**
     * Approves a pending action: it is audited, then queued to run.
     *
     * @return the action as it stands afterwards; null when there is no such action.
     * @throws NotPendingException when the action is not waiting for approval.
     */
    public Action approve(final String id, final String actor, final String reason)
    {
        return decide(id, ActionState.APPROVED, actor, reason);
    }

    /**
     * Rejects a pending action.
     *
     * @return the action as it stands afterwards; null when there is no such action.
     * @throws NotPendingException when the action is not waiting for approval.
     */
    public Action reject(final String id, final String actor, final String reason)
    {
        return decide(id, ActionState.REJECTED, actor, reason);
    }

    private Action decide(final String id, final ActionState to, final String actor, final String reason)
    {
        final Action before = actions.get(id);
        if (before == null)
        {
            return null;
        }
        final Action after = actions.transition(id, EnumSet.of(ActionState.PENDING_APPROVAL),
            a -> a.to(to, wallClock.getAsLong(), actor, reason, null));
        if (after == null)
        {
            throw new NotPendingException("action " + id + " is " + actions.get(id).state() +
                ", not PENDING_APPROVAL");
        }
        pending.remove(id);
        log.accept("remediation: action " + id + " " + to + " by " + actor);
        final boolean audited = await(audit(after, to == ActionState.APPROVED ? () -> dispatch(id) : null));
        if (!audited && to == ActionState.APPROVED)
        {
            try
            {
                control.execute(() -> fail(id, EnumSet.of(ActionState.APPROVED), "approval could not be audited; " +
                    "not acted on"));
            }
            catch (final RejectedExecutionException ex)
            {
                actions.transition(id, EnumSet.of(ActionState.APPROVED), a -> a.to(ActionState.FAILED,
                    wallClock.getAsLong(), Action.SYSTEM, "not carried out", "approval could not be audited"));
            }
        }
        return actions.get(id);
    }

    // ---- any thread ------------------------------------------------------------------------------

    /** @return the action, or null. */
    public Action action(final String id)
    {
        return actions.get(id);
    }

    /** @return actions matching a filter, newest first. */
    public List<Action> actions(final Predicate<Action> filter, final int limit)
    {
        return actions.find(filter, limit);
    }

    /** @return the rules, in order. */
    public List<Rule> rules()
    {
        return rules;
    }

    /** @return audit appends that failed (the actions concerned were not carried out). */
    public long auditFailures()
    {
        return auditFailures.get();
    }

    /** @return the endpoints {@code /api/v1/actions...}. */
    public ActionsApi api()
    {
        return new ActionsApi(this);
    }

    @Override
    public String name()
    {
        return "remediation";
    }

    /** Stops the workers (a running action ends FAILED) and the control thread. */
    @Override
    public void close()
    {
        workers.shutdownNow();
        try
        {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            control.shutdown();
            control.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        control.shutdownNow();
    }
}
