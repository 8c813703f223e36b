package io.sextant.bench;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The reference the {@code micro} harness compares against in the same run (BENCHMARKS.md): the
 * cost of one HdrHistogram {@code recordValue}, the cheapest thing an instrumented application
 * thread typically does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ReferenceBenchmark
{
    private final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    private long value = 1;

    @Benchmark
    public long hdrHistogramRecordValue()
    {
        value = (value * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L);
        final long sample = 1_000 + ((value >>> 40) & 0xFFFFF);
        histogram.recordValue(sample);
        return sample;
    }
}
