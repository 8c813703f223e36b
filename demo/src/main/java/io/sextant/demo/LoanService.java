package io.sextant.demo;

import io.sextant.api.Counter;
import io.sextant.api.Histogram;
import io.sextant.api.Model;
import io.sextant.api.Sextant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The service: worker threads score synthetic loan applications at a steady rate with the model
 * version that currently serves production, record each inference, and deliver the true outcome
 * as a label a few seconds later, as a real lender learns it later. A controller thread follows
 * the {@link FaultSchedule} and reports version changes.
 */
final class LoanService
{
    static final String MODEL = "loan-default";
    private static final Logger LOG = LoggerFactory.getLogger(LoanService.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("io.sextant.demo.rollout");

    private final FaultSchedule schedule;
    private final int requestsPerSecond;
    private final int workers;
    private final long seed;
    private final ScoringModel good;
    private final ScoringModel bad;
    private final Model goodHandle;
    private final Model badHandle;
    private final Counter requests = Sextant.counter("demo.requests", "1", "service", "loan-scoring");
    private final Counter failures = Sextant.counter("demo.failures", "1", "service", "loan-scoring");
    private final Histogram latency = Sextant.histogram("demo.request.latency", "ns", "service", "loan-scoring");
    private final ScheduledExecutorService labels = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "label-feed");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong nextId = new AtomicLong();
    private final List<byte[]> retained = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile boolean badServing;

    private final RegistryClient registry;

    LoanService(final FaultSchedule schedule, final int requestsPerSecond, final int workers, final long seed,
        final RegistryClient registry)
    {
        this.registry = registry;
        this.schedule = schedule;
        this.requestsPerSecond = requestsPerSecond;
        this.workers = workers;
        this.seed = seed;
        this.good = ScoringModel.train("1.0.0", seed, 20_000, false);
        this.bad = ScoringModel.train("1.1.0", seed + 1, 20_000, true);
        this.goodHandle = Sextant.model(MODEL, good.version, LoanApplications.NUMERIC, LoanApplications.CATEGORICAL);
        this.badHandle = Sextant.model(MODEL, bad.version, LoanApplications.NUMERIC, LoanApplications.CATEGORICAL);
    }

    void start()
    {
        if (registry != null)
        {
            for (final ScoringModel m : new ScoringModel[] {good, bad})
            {
                AUDIT.info("Model {} version {}: {}", MODEL, m.version, registry.register(MODEL, m));
            }
        }
        register(good);
        Sextant.deployed(MODEL, good.version, "production");
        AUDIT.info("Model {} version {} deployed to {}", MODEL, good.version, "production");
        for (int i = 0; i < workers; i++)
        {
            final int worker = i;
            final Thread t = new Thread(() -> work(worker), "scoring-" + i);
            t.setDaemon(true);
            t.start();
        }
        final Thread controller = new Thread(this::control, "rollout-controller");
        controller.setDaemon(true);
        controller.start();
    }

    void stop()
    {
        running = false;
        labels.shutdownNow();
    }

    private long elapsedMillis()
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private void register(final ScoringModel model)
    {
        Sextant.registerModelVersion(MODEL, model.version, model.datasetId, model.datasetHash, model.parameters,
            model.metrics);
        AUDIT.info("Registered model {} version {} trained on {} (holdout accuracy {})",
            MODEL, model.version, model.datasetId, model.metrics.get("holdout_accuracy"));
    }

    private void control()
    {
        boolean badRegistered = false;
        FaultSchedule.Fault last = FaultSchedule.Fault.NONE;
        while (running)
        {
            final long elapsed = elapsedMillis();
            final boolean shouldServeBad = schedule.badVersionServing(elapsed);
            if (shouldServeBad && !badServing)
            {
                if (!badRegistered)
                {
                    register(bad);
                    badRegistered = true;
                }
                badServing = true;
                Sextant.promoted(MODEL, bad.version, "production", good.version);
                AUDIT.warn("Rolling out model {} version {} to production, replacing {}", MODEL, bad.version,
                    good.version);
            }
            else if (!shouldServeBad && badServing)
            {
                badServing = false;
                Sextant.rolledBack(MODEL, good.version, "production", bad.version);
                AUDIT.warn("Rolled back model {} in production from {} to {}", MODEL, bad.version, good.version);
            }
            final FaultSchedule.Fault fault = schedule.at(elapsed);
            if (fault != last)
            {
                LOG.warn("Demo schedule: {} -> {}", last, fault);
                if (last == FaultSchedule.Fault.GC_PRESSURE)
                {
                    synchronized (retained)
                    {
                        retained.clear();
                    }
                }
                last = fault;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private void work(final int worker)
    {
        final LoanApplications data = new LoanApplications(seed * 31 + worker);
        final double[] numeric = new double[LoanApplications.NUMERIC.length];
        final String[] categorical = new String[LoanApplications.CATEGORICAL.length];
        final double[] posterior = new double[2];
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) * workers / Math.max(1, requestsPerSecond);
        long next = System.nanoTime();
        while (running)
        {
            next += intervalNanos;
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
            else if (wait < -TimeUnit.SECONDS.toNanos(1))
            {
                next = System.nanoTime(); // fell far behind: do not burst to catch up
            }
            serve(data, numeric, categorical, posterior);
        }
    }

    private void serve(
        final LoanApplications data, final double[] numeric, final String[] categorical, final double[] posterior)
    {
        final long elapsed = elapsedMillis();
        final FaultSchedule.Fault fault = schedule.at(elapsed);
        data.next(numeric, categorical, schedule.drift(elapsed));
        final int truth = data.truth(numeric, categorical);
        final String id = "app-" + nextId.incrementAndGet();
        final boolean useBad = badServing;
        final ScoringModel model = useBad ? bad : good;
        final Model handle = useBad ? badHandle : goodHandle;

        final long start = System.nanoTime();
        try
        {
            if (fault == FaultSchedule.Fault.GC_PRESSURE)
            {
                churn();
            }
            if (fault == FaultSchedule.Fault.LATENCY_SPIKE)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(40 + ThreadLocalRandom.current().nextInt(80)));
            }
            if (fault == FaultSchedule.Fault.ERROR_BURST && data.uniform() < 0.4)
            {
                throw new IllegalStateException("feature store timed out for application " + id);
            }
            final int predicted = model.predict(numeric, categorical, posterior);
            final long took = System.nanoTime() - start;
            handle.recordClass(took, predicted == 1 ? "default" : "repaid", posterior[predicted], id, numeric,
                categorical);
            latency.record(took);
            requests.increment();
            LOG.info("Scored application {} from {} via {}: {} (p={})", id, categorical[0], categorical[1],
                predicted == 1 ? "default" : "repaid", posterior[predicted]);
            final long delayMillis = 2_000 + (long)(data.uniform() * 8_000);
            final String outcome = truth == 1 ? "default" : "repaid";
            labels.schedule(() -> Sextant.labelClass(MODEL, id, outcome), delayMillis, TimeUnit.MILLISECONDS);
        }
        catch (final RuntimeException ex)
        {
            final long took = System.nanoTime() - start;
            handle.recordError(took, id, numeric, categorical);
            failures.increment();
            requests.increment();
            LOG.error("Scoring failed for application {}", id, ex);
        }
    }

    private void churn()
    {
        // Short-lived garbage plus a growing retained set: the collector works hard and pauses get longer.
        byte[] garbage = null;
        for (int i = 0; i < 64; i++)
        {
            garbage = new byte[16 * 1024];
        }
        synchronized (retained)
        {
            if (retained.size() < 96)
            {
                retained.add(new byte[1024 * 1024]);
            }
            else
            {
                retained.set(ThreadLocalRandom.current().nextInt(retained.size()), garbage);
            }
        }
    }
}
