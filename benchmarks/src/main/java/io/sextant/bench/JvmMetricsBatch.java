package io.sextant.bench;

import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsEncoder;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/**
 * A steady batch of 64 JVM metrics as an agent samples them on one tick: integral gauges (heap
 * and pool bytes, threads, classes, file descriptors), counters (GC counts and times, allocated
 * bytes) and a few fractions (CPU load, load average). Series ids 0..63. Several ticks are
 * precomputed with small realistic changes between them, so a benchmark does not encode the very
 * same values every time.
 *
 * <p>Not thread-safe: one per benchmark thread.
 */
final class JvmMetricsBatch
{
    static final int SAMPLES = 64;
    static final int TICKS = 16;
    static final long BASE_TIME_MILLIS = 1_764_000_000_000L;

    /** Per tick and series: the integral value, used when {@link #FRACTIONAL} is false. */
    final long[][] integral = new long[TICKS][SAMPLES];
    /** Per tick and series: the fractional value, used when {@link #FRACTIONAL} is true. */
    final double[][] fractional = new double[TICKS][SAMPLES];
    /** Which series carry fractions (CPU load, load average, heap fraction). */
    static final boolean[] FRACTIONAL = new boolean[SAMPLES];

    static
    {
        FRACTIONAL[60] = true; // process.cpu.load
        FRACTIONAL[61] = true; // system.cpu.load
        FRACTIONAL[62] = true; // system.load.average.1m
        FRACTIONAL[63] = true; // jvm.memory.heap.fraction
    }

    JvmMetricsBatch()
    {
        final Random random = new Random(20_251_127L);
        final long[] start = new long[SAMPLES];
        // Heap and non-heap pools: used and committed bytes (series 0..23).
        for (int i = 0; i < 24; i++)
        {
            start[i] = i % 2 == 0 ? 8_000_000L + random.nextInt(400_000_000) : (64L << 20) * (1 + i % 5);
        }
        // Threads, daemon threads, peak threads, loaded/unloaded classes, open fds (24..35).
        final long[] small = {42, 37, 55, 9_871, 12, 183, 2, 0, 1, 16, 4_100, 65_536};
        System.arraycopy(small, 0, start, 24, small.length);
        // GC counters and accumulated times, safepoints, compilation time, allocated bytes (36..59).
        for (int i = 36; i < 60; i++)
        {
            start[i] = i < 48 ? random.nextInt(5_000) : (long)random.nextInt(1 << 30) * 16;
        }
        for (int tick = 0; tick < TICKS; tick++)
        {
            for (int i = 0; i < SAMPLES; i++)
            {
                final long step;
                if (i < 24)
                {
                    step = i % 2 == 0 ? random.nextInt(4_000_000) - 1_000_000 : 0; // used moves, committed stays
                }
                else if (i < 36)
                {
                    step = random.nextInt(3) - 1;
                }
                else
                {
                    step = random.nextInt(i < 48 ? 3 : 50_000_000); // counters only grow
                }
                start[i] = Math.max(0, start[i] + step);
                integral[tick][i] = start[i];
            }
            fractional[tick][60] = random.nextDouble() * 0.4;
            fractional[tick][61] = random.nextDouble() * 0.8;
            fractional[tick][62] = Math.round(random.nextDouble() * 400) / 100.0;
            fractional[tick][63] = random.nextDouble();
        }
    }

    /**
     * Encodes one tick as a complete METRICS frame.
     *
     * @return the frame length in bytes.
     */
    int encode(
        final FrameWriter frames, final MetricsEncoder metrics, final MutableDirectBuffer buffer, final int tick,
        final long sequence)
    {
        metrics.wrap(frames.begin(buffer, 0, buffer.capacity(), MessageType.METRICS, sequence), BASE_TIME_MILLIS);
        final long[] longs = integral[tick];
        final double[] doubles = fractional[tick];
        for (int i = 0; i < SAMPLES; i++)
        {
            if (FRACTIONAL[i])
            {
                metrics.sample(i, BASE_TIME_MILLIS, doubles[i]);
            }
            else
            {
                metrics.sampleLong(i, BASE_TIME_MILLIS, longs[i]);
            }
        }
        metrics.finish();
        return frames.finish();
    }
}
