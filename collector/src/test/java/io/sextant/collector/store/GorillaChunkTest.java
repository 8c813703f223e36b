package io.sextant.collector.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GorillaChunkTest
{
    private static List<double[]> decode(final GorillaChunk chunk)
    {
        final List<double[]> out = new ArrayList<>();
        chunk.forEach((t, v) -> out.add(new double[] {t, v}));
        return out;
    }

    @Test
    void roundTripsEdgeValues()
    {
        final double[] values = {0.0, -0.0, 1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, -1e-300, 42.5, 42.5, 1e18};
        final long[] times = {Long.MIN_VALUE / 4, 0, 1, 2, 100, 10_000, 10_001, 1L << 40, (1L << 40) + 3,
            Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2};
        final GorillaChunk chunk = new GorillaChunk();
        for (int i = 0; i < values.length; i++)
        {
            chunk.append(times[i], values[i]);
        }
        final List<double[]> decoded = new ArrayList<>();
        final List<Long> decodedTimes = new ArrayList<>();
        chunk.forEach((t, v) ->
        {
            decodedTimes.add(t);
            decoded.add(new double[] {v});
        });
        assertThat(decoded).hasSize(values.length);
        for (int i = 0; i < values.length; i++)
        {
            assertThat(decodedTimes.get(i)).isEqualTo(times[i]);
            assertThat(Double.doubleToRawLongBits(decoded.get(i)[0])).isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        final GorillaChunk sealed = chunk.seal();
        assertThat(decode(sealed)).hasSize(values.length);
    }

    @Property(tries = 300)
    void roundTripsRandomSeries(@ForAll @LongRange(min = 0, max = 1L << 50) final long start,
        @ForAll @IntRange(min = 1, max = GorillaChunk.MAX_SAMPLES) final int n, @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final long[] times = new long[n];
        final double[] values = new double[n];
        long t = start;
        double v = random.nextGaussian() * 1000;
        final int style = random.nextInt(4);
        for (int i = 0; i < n; i++)
        {
            t += switch (style)
            {
                case 0 -> 1000;
                case 1 -> 1000 + random.nextInt(7) - 3;
                case 2 -> random.nextInt(100_000);
                default -> random.nextInt(3) == 0 ? random.nextLong(1L << 35) : 10;
            };
            v = switch (random.nextInt(5))
            {
                case 0 -> v;
                case 1 -> v + random.nextInt(100);
                case 2 -> Double.longBitsToDouble(random.nextLong());
                case 3 -> Math.round(random.nextGaussian() * 1e6);
                default -> random.nextDouble();
            };
            times[i] = t;
            values[i] = v;
        }
        final GorillaChunk chunk = new GorillaChunk();
        for (int i = 0; i < n; i++)
        {
            chunk.append(times[i], values[i]);
        }
        final List<double[]> decoded = new ArrayList<>();
        final List<Long> decodedTimes = new ArrayList<>();
        chunk.forEach((time, value) ->
        {
            decodedTimes.add(time);
            decoded.add(new double[] {value});
        });
        assertThat(decoded).hasSize(n);
        for (int i = 0; i < n; i++)
        {
            assertThat(decodedTimes.get(i)).isEqualTo(times[i]);
            assertThat(Double.doubleToRawLongBits(decoded.get(i)[0])).isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
    }

    @Test
    void readerSeesAConsistentPrefixWhileTheWriterAppends() throws Exception
    {
        final GorillaChunk chunk = new GorillaChunk();
        final Thread writer = new Thread(() ->
        {
            for (int i = 0; i < GorillaChunk.MAX_SAMPLES; i++)
            {
                chunk.append(1000L * i, i * 1.5);
            }
        });
        writer.start();
        int checks = 0;
        while (writer.isAlive() || checks == 0)
        {
            final int[] index = {0};
            chunk.forEach((t, v) ->
            {
                assertThat(t).isEqualTo(1000L * index[0]);
                assertThat(v).isEqualTo(index[0] * 1.5);
                index[0]++;
            });
            checks++;
        }
        writer.join();
        assertThat(chunk.count()).isEqualTo(GorillaChunk.MAX_SAMPLES);
    }
}
