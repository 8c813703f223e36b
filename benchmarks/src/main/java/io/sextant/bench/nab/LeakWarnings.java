package io.sextant.bench.nab;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.MetricAnomalyStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.SignalLog;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How far ahead the collector's own metric stage (with the collector's default settings) predicts that
 * a leaking heap pool reaches its max: seeded synthetic JVM pools, sampled every 10 s, whose used bytes
 * follow a garbage-collection sawtooth on a rising floor, plus flat pools that never fill (false
 * warnings). The lead is the time from the first PREDICTED signal on the pool to the first sample at
 * its max; a leak reached with no warning before it counts as missed.
 */
final class LeakWarnings
{
    /** What the run found. */
    record Summary(int leaks, int warned, double medianLeadMinutes, double minLeadMinutes, double maxLeadMinutes,
                   int flatPools, int falseWarnings)
    {
    }

    private static final long STEP = 10_000;
    private static final double MAX = 1024.0 * 1024 * 1024;

    private LeakWarnings()
    {
    }

    static Summary run(final long seed, final int leaks, final int flat)
    {
        final Random random = new Random(seed);
        final List<Double> leads = new ArrayList<>();
        int warned = 0;
        for (int i = 0; i < leaks; i++)
        {
            // from 1 h to 12 h until the max, after a first hour of steady use
            final double hoursToMax = 1 + 11 * random.nextDouble();
            final Outcome o = simulate(random, hoursToMax);
            if (o.leadMinutes() != null)
            {
                warned++;
                leads.add(o.leadMinutes());
            }
        }
        int falseWarnings = 0;
        for (int i = 0; i < flat; i++)
        {
            falseWarnings += simulate(random, Double.POSITIVE_INFINITY).predictions();
        }
        Collections.sort(leads);
        return new Summary(leaks, warned, leads.isEmpty() ? Double.NaN : leads.get(leads.size() / 2),
            leads.isEmpty() ? Double.NaN : leads.get(0), leads.isEmpty() ? Double.NaN : leads.get(leads.size() - 1),
            flat, falseWarnings);
    }

    /**
     * One pool: minutes from the first prediction to the max (null when the max was reached unwarned, or
     * never reached), and how many predictions were made.
     */
    private record Outcome(Double leadMinutes, int predictions)
    {
    }

    /**
     * @param hoursToMax hours of leaking until the max; infinite for a flat pool.
     */
    private static Outcome simulate(final Random random, final double hoursToMax)
    {
        final Context context = new Context();
        final MetricAnomalyStage stage = new MetricAnomalyStage(MetricAnomalyStage.Options.from(
            CollectorConfig.of(Map.of())), Runnable::run);
        stage.start(context);
        final Map<String, String> labels = Map.of("service", "leaky", "instance", "i-1", "pool", "G1 Old Gen",
            "area", "heap");
        final MetricSeries used = context.store.metric("jvm.memory.used", Series.Kind.GAUGE, "bytes", labels);
        final MetricSeries max = context.store.metric("jvm.memory.max", Series.Kind.GAUGE, "bytes", labels);
        final long t0 = 1_700_000_000_000L;
        final double floor0 = 0.15 * MAX;
        final double warmupPoints = 3600_000.0 / STEP;
        final double slope = Double.isInfinite(hoursToMax) ? 0 : (MAX - floor0) / (hoursToMax * 3600_000.0 / STEP);
        final int gcEvery = 6 + random.nextInt(12);
        final int points = Double.isInfinite(hoursToMax) ? 3 * 8640 / 2 : (int)(warmupPoints + hoursToMax * 360 + 60);
        Long firstPrediction = null;
        for (int i = 0; i < points; i++)
        {
            final long t = t0 + i * STEP;
            final double floor = floor0 + Math.max(0, i - warmupPoints) * slope;
            // between collections young objects pile up on top of the floor; a collection drops back to it
            final double sawtooth = (i % gcEvery) * 0.02 * MAX / gcEvery;
            final double u = Math.min(MAX, floor + sawtooth + 0.005 * MAX * random.nextGaussian());
            stage.onSample(max, t, MAX);
            stage.onSample(used, t, u);
            if (firstPrediction == null && context.predicted != null)
            {
                firstPrediction = context.predicted.startMillis();
            }
            if (u >= MAX && !Double.isInfinite(hoursToMax))
            {
                return new Outcome(firstPrediction == null || firstPrediction >= t ? null :
                    (t - firstPrediction) / 60_000.0, context.predictions);
            }
        }
        return new Outcome(null, context.predictions);
    }

    /** Collects the stage's PREDICTED signals. */
    private static final class Context implements AnalysisContext
    {
        final SeriesStore store = new SeriesStore(100, Long.MAX_VALUE / 4, 10);
        final SignalLog log = new SignalLog(10_000);
        Signal predicted;
        int predictions;

        @Override
        public void publish(final Signal signal)
        {
            log.put(signal);
            if (signal.kind() == Signal.Kind.PREDICTED && signal.open() && (predicted == null ||
                !predicted.id().equals(signal.id())))
            {
                if (predicted == null)
                {
                    predicted = signal;
                }
                predictions++;
            }
        }

        @Override
        public SeriesStore store()
        {
            return store;
        }

        @Override
        public SignalLog signals()
        {
            return log;
        }

        @Override
        public boolean replaying()
        {
            return false;
        }

        @Override
        public long nowMillis()
        {
            return 0;
        }
    }
}
