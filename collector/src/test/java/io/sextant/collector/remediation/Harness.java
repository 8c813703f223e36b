package io.sextant.collector.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisLoop;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.SignalLog;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.audit.AuditRecord;
import io.sextant.collector.ingest.AgentCommands;
import io.sextant.collector.store.SeriesStore;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A real analysis thread ({@link AnalysisLoop} on an Agrona runner) with a {@link RemediationStage}
 * behind a stage that publishes the signals the test feeds in, a real audit journal in a folder and a
 * manual clock. The test thread is the loop's only producer.
 */
final class Harness implements AutoCloseable
{
    static final long START = 1_764_000_000_000L;

    final AtomicLong clock = new AtomicLong(START);
    final Path auditDir;
    final AuditJournal journal;
    final RemediationStage stage;
    final AnalysisLoop loop;
    private final AgentRunner runner;
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Publishes every Signal handed to the loop as an event: stands in for a detector. */
    private static final class Feeder implements AnalysisStage
    {
        private AnalysisContext context;

        @Override
        public void start(final AnalysisContext context)
        {
            this.context = context;
        }

        @Override
        public void onEvent(final Object event)
        {
            if (event instanceof Signal s)
            {
                context.publish(s);
            }
        }
    }

    Harness(final Path auditDir, final String rulesJson, final AgentCommands agents, final ModelRollback models)
        throws IOException
    {
        this(auditDir, AuditJournal.open(auditDir, false), null, rulesJson, agents, models);
    }

    /** With a journal opened by the test and, when not null, a sink that reaches it another way. */
    Harness(final Path auditDir, final AuditJournal journal, final AuditSink sink, final String rulesJson,
        final AgentCommands agents, final ModelRollback models)
    {
        this.auditDir = auditDir;
        this.journal = journal;
        stage = new RemediationStage(RuleFile.parse("test-rules.json", rulesJson),
            sink == null ? AuditSink.of(journal) : sink, agents, models, clock::get, log::add);
        loop = new AnalysisLoop(new SeriesStore(1000, 3_600_000, 1000), List.of(new Feeder(), stage),
            new SignalLog(10_000), 1 << 16, clock::get, log::add);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), t -> log.add("error: " + t), null, loop);
        AgentRunner.startOnThread(runner);
    }

    void live()
    {
        loop.onCaughtUp();
        await("analysis live", loop::live);
    }

    void feed(final Signal s)
    {
        loop.onEvent(s);
    }

    static Signal anomaly(final String id, final String service, final String key, final Map<String, String> labels)
    {
        return new Signal(id, Signal.Kind.METRIC_ANOMALY, "test", service, key, labels, START, START + 1000, 0.9,
            io.sextant.collector.analysis.anomaly.Severity.CRITICAL, 812, 2, 40, true, key + " at 812, expected 2-40");
    }

    /** The actions created for a subject id (at most one per rule). */
    List<Action> actionsFor(final String subjectId)
    {
        return stage.actions(a -> a.subjectId().equals(subjectId), 100);
    }

    Action only(final String subjectId)
    {
        final List<Action> a = actionsFor(subjectId);
        if (a.size() != 1)
        {
            throw new AssertionError("expected one action for " + subjectId + ", got " + a);
        }
        return a.get(0);
    }

    /** Waits until the subject's single action is in a terminal state (or the given one). */
    Action awaitState(final String subjectId, final ActionState state)
    {
        await("action for " + subjectId + " in " + state, () ->
        {
            final List<Action> a = actionsFor(subjectId);
            return a.size() == 1 && a.get(0).state() == state;
        });
        return only(subjectId);
    }

    static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("not within 30 s: " + what);
            }
            try
            {
                Thread.sleep(5); // poll interval; the deadline bounds the wait
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }

    /** Every action's state changes, in audit order, by action id. */
    static Map<String, List<String>> auditedStates(final Path auditDir) throws IOException
    {
        final ObjectMapper json = new ObjectMapper();
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final AuditRecord r : AuditJournal.readAll(auditDir))
        {
            if (r.type().equals(RemediationStage.AUDIT_TYPE))
            {
                final JsonNode body = json.readTree(r.body());
                out.computeIfAbsent(body.get("id").asText(), k -> new ArrayList<>()).add(body.get("state").asText());
            }
        }
        return out;
    }

    /**
     * Waits until every action has settled (finished, or waiting for approval) and the audit journal
     * holds the state changes its state implies, then checks the chain (no append is then in progress).
     */
    void assertEveryActionAudited()
    {
        final List<Action> all = stage.actions(a -> true, 10_000);
        await("every action's state audited", () ->
        {
            try
            {
                final Map<String, List<String>> audited = auditedStates(auditDir);
                for (final Action a : all)
                {
                    final List<String> states = audited.get(a.id());
                    final ActionState state = stage.action(a.id()).state();
                    if (!(state.terminal() || state == ActionState.PENDING_APPROVAL) || states == null ||
                        !states.get(states.size() - 1).equals(state.name()))
                    {
                        return false;
                    }
                }
                return true;
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
        });
        try
        {
            final Map<String, List<String>> audited = auditedStates(auditDir);
            for (final Action a : all)
            {
                final Action now = stage.action(a.id());
                final List<String> expected = switch (now.state())
                {
                    case SUCCEEDED, FAILED -> now.approvalRequired() ?
                        List.of("PENDING_APPROVAL", "APPROVED", "RUNNING", now.state().name()) :
                        List.of("APPROVED", "RUNNING", now.state().name());
                    case REJECTED -> List.of("PENDING_APPROVAL", "REJECTED");
                    default -> List.of(now.state().name());
                };
                final List<String> got = audited.get(a.id());
                final boolean failedEarly = now.state() == ActionState.FAILED && !got.contains("RUNNING") &&
                    got.get(got.size() - 1).equals("FAILED");
                if (!got.equals(expected) && !failedEarly)
                {
                    throw new AssertionError("action " + a.id() + " audited as " + audited.get(a.id()) + ", expected " +
                        expected);
                }
            }
            // The journal's writer appends a record, then moves the head file: a reader in between sees the head
            // one record behind. The control thread may still be finishing the last append.
            await("the audit journal verifies", () ->
            {
                try
                {
                    return AuditJournal.verify(auditDir).intact();
                }
                catch (final IOException ex)
                {
                    return false;
                }
            });
            final var verified = AuditJournal.verify(auditDir);
            if (!verified.intact())
            {
                throw new AssertionError("audit journal does not verify: " + verified.message());
            }
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    List<String> log()
    {
        return log;
    }

    @Override
    public void close() throws IOException
    {
        runner.close();
        stage.close();
        journal.close();
    }
}
