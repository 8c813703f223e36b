package io.sextant.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JMH profiler ({@code -prof io.sextant.bench.CpuTimeProfiler}) that reports the CPU time the
 * benchmark threads spent per operation, as {@code cpu.time.norm} in ns/op. JMH's own score is
 * wall-clock time, which on a small shared machine also counts the time the benchmark thread was
 * not running because other processes had the cores; CPU time leaves that out (it still includes
 * slow-downs from sharing caches and hyper-threads with them).
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private static final String WORKER = "-jmh-worker-";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();

    @Override
    public String getDescription()
    {
        return "CPU time of the benchmark threads per operation";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        before.clear();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().contains(WORKER))
            {
                before.put(thread.getId(), threads.getThreadCpuTime(thread.getId()));
            }
        }
    }

    @Override
    public List<? extends Result> afterIteration(
        final BenchmarkParams benchmarkParams, final IterationParams iterationParams, final IterationResult result)
    {
        long cpuNanos = 0;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().contains(WORKER))
            {
                final long now = threads.getThreadCpuTime(thread.getId());
                final Long start = before.get(thread.getId());
                cpuNanos += now - (start == null ? 0 : start);
            }
        }
        final long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpuNanos <= 0)
        {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.norm", (double)cpuNanos / ops, "ns/op", AggregationPolicy.AVG));
    }
}
