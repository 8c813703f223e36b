package io.sextant.collector.store;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures bytes per sample of the Gorilla store on a realistic set of regular JVM gauges and
 * counters: one hour at a 1 s interval from a scheduled sampler, shaped like what the agent sends
 * (thread and class counts, GC counters, heap committed and used, CPU time, uptime, buffer pools).
 */
class CompressionRatioTest
{
    private static final int SAMPLES = 3600;
    private static final long START = 1_795_000_000_000L;

    private static Map<String, LongToDoubleFunction> jvmSeries(final long seed)
    {
        final Map<String, LongToDoubleFunction> series = new LinkedHashMap<>();
        final Random r = new Random(seed);
        final double[] threads = {42};
        series.put("jvm.threads.live", i -> threads[0] += r.nextInt(100) == 0 ? r.nextInt(3) - 1 : 0);
        final double[] daemon = {17};
        series.put("jvm.threads.daemon", i -> daemon[0] += r.nextInt(200) == 0 ? r.nextInt(3) - 1 : 0);
        final double[] classes = {8123};
        series.put("jvm.classes.loaded", i -> classes[0] += r.nextInt(300) == 0 ? r.nextInt(20) : 0);
        series.put("jvm.classes.unloaded", i -> 12);
        final double[] gcCount = {0};
        final double[] gcTime = {0};
        final boolean[] gcNow = {false};
        series.put("jvm.gc.count", i ->
        {
            gcNow[0] = r.nextInt(30) == 0;
            return gcCount[0] += gcNow[0] ? 1 : 0;
        });
        final Random gcRandom = new Random(seed + 1);
        series.put("jvm.gc.pause.total", i -> gcTime[0] += gcRandom.nextInt(30) == 0 ? 3 + gcRandom.nextInt(12) : 0);
        series.put("jvm.memory.committed{heap}", i -> 268_435_456);
        series.put("jvm.memory.committed{nonheap}", i -> 75_497_472);
        series.put("jvm.memory.max{heap}", i -> 4_294_967_296.0);
        final double[] used = {50_000_000};
        series.put("jvm.memory.used{heap}", i ->
        {
            used[0] = r.nextInt(30) == 0 ? 40_000_000 + r.nextInt(4_000_000) : used[0] + 2_097_152 + r.nextInt(262_144);
            return used[0];
        });
        final double[] cpu = {0};
        series.put("process.cpu.time", i -> cpu[0] += 20_000_000 + r.nextInt(10_000_000));
        series.put("process.uptime", i -> 60_000 + i * 1000);
        series.put("jvm.buffer.count{direct}", i -> 14);
        series.put("jvm.buffer.memory.used{direct}", i -> 1_081_344);
        series.put("jvm.cpu.count", i -> 2);
        return series;
    }

    private static double bytesPerSample(final LongToDoubleFunction f, final boolean jitter, final Random r)
    {
        final SeriesStore store = new SeriesStore(10, Long.MAX_VALUE, 1);
        final MetricSeries s = store.metric("m", Series.Kind.GAUGE, "", Map.of());
        for (int i = 0; i < SAMPLES; i++)
        {
            final long t = START + i * 1000L + (jitter ? r.nextInt(3) - 1 : 0);
            store.append(s, t, f.applyAsDouble(i));
        }
        long bits = 0;
        for (final GorillaChunk c : s.chunks())
        {
            bits += c.bits();
        }
        assertThat(s.sampleCount()).isEqualTo(SAMPLES);
        return bits / 8.0 / SAMPLES;
    }

    @Test
    void regularJvmGaugesAndCountersTakeAtMostOneAndAHalfBytesPerSample()
    {
        double total = 0;
        int n = 0;
        final StringBuilder report = new StringBuilder();
        for (final Map.Entry<String, LongToDoubleFunction> e : jvmSeries(7).entrySet())
        {
            final double b = bytesPerSample(e.getValue(), false, new Random(1));
            report.append(String.format("%-32s %.3f B/sample%n", e.getKey(), b));
            total += b;
            n++;
        }
        final double mean = total / n;
        double jitterTotal = 0;
        for (final LongToDoubleFunction f : jvmSeries(7).values())
        {
            jitterTotal += bytesPerSample(f, true, new Random(1));
        }
        report.append(String.format("mean (aligned timestamps): %.3f B/sample%n", mean));
        report.append(String.format("mean (timestamps jittered by +/-1 ms): %.3f B/sample%n", jitterTotal / n));
        System.out.print(report);
        assertThat(mean).as(report.toString()).isLessThanOrEqualTo(1.5);
    }
}
