package io.sextant.agent.jvm;

import io.sextant.agent.ship.MetricsOut;
import io.sextant.protocol.SeriesKind;
import org.HdrHistogram.AbstractHistogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JfrMetricsTest
{
    /** Records what the sampler defines and samples, by "name{class}". */
    static final class Out implements MetricsOut
    {
        final List<String> names = new ArrayList<>();
        final Map<String, Double> last = new HashMap<>();
        final Map<String, Long> histogramCounts = new HashMap<>();

        @Override
        public int define(final SeriesKind kind, final String name, final String unit, final String... labels)
        {
            names.add(name + (labels.length == 2 ? "{" + labels[1] + "}" : ""));
            return names.size() - 1;
        }

        @Override
        public void sample(final int series, final double value)
        {
            last.put(names.get(series), value);
        }

        @Override
        public void sampleLong(final int series, final long value)
        {
            last.put(names.get(series), (double)value);
        }

        @Override
        public void histogram(final int series, final AbstractHistogram histogram)
        {
            histogramCounts.merge(names.get(series), histogram.getTotalCount(), Long::sum);
        }
    }

    static final class Lock
    {
    }

    @Test
    void countsSafepointsAndContendedMonitorsOnceAcrossOverlappingDumps() throws Exception
    {
        final Out out = new Out();
        final JfrMetrics jfr = new JfrMetrics(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(5));
        long now = 0;
        assertThat(jfr.start(out, now)).isTrue();
        try
        {
            final Lock lock = new Lock();
            final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            final Thread holder = new Thread(() ->
            {
                for (int i = 0; i < 6; i++)
                {
                    synchronized (lock)
                    {
                        held.countDown();
                        sleep(30); // holds the lock while this thread contends for it
                    }
                    sleep(5);
                }
            });
            holder.start();
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the holder took the lock").isTrue();
            for (int i = 0; i < 3; i++)
            {
                synchronized (lock)
                {
                    System.gc();
                }
                sleep(40);
            }
            holder.join();
            final String key = "jvm.monitor.contended.count{" + Lock.class.getName() + "}";
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((!out.last.containsKey(key) || out.last.getOrDefault("jvm.safepoint.count", 0.0) < 3) &&
                System.nanoTime() - deadline < 0)
            {
                now += TimeUnit.MILLISECONDS.toNanos(100);
                jfr.sample(out, now);
            }
            assertThat(out.last).containsKey(key);
            final double contended = out.last.get(key);
            // at most one wait per entry: 3 by this thread, 6 by the holder
            assertThat(contended).isBetween(1.0, 9.0);
            assertThat(out.last.get("jvm.monitor.contended.time{" + Lock.class.getName() + "}")).isPositive();
            assertThat(out.last.get("jvm.safepoint.count")).isGreaterThanOrEqualTo(3.0);
            // more reads of dumps that repeat the same events count nothing twice
            for (int i = 0; i < 3; i++)
            {
                now += TimeUnit.MILLISECONDS.toNanos(100);
                jfr.sample(out, now);
            }
            assertThat(out.last.get(key)).isEqualTo(contended);
            assertThat(out.histogramCounts.get("jvm.safepoint.pause")).isEqualTo(out.last.get("jvm.safepoint.count").longValue());
            assertThat(out.names).contains("sextant.agent.jfr.read.time");
        }
        finally
        {
            jfr.close();
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
