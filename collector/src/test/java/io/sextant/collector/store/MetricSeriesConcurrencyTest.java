package io.sextant.collector.store;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stress: one writer appends across many chunk seals while readers decode; a reader must always see
 * a gap-free, duplicate-free prefix of what was written.
 */
class MetricSeriesConcurrencyTest
{
    @Test
    void readersSeeAConsistentPrefixAcrossChunkSeals() throws Exception
    {
        final SeriesStore store = new SeriesStore(1, Long.MAX_VALUE, 1);
        final MetricSeries series = store.metric("x", Series.Kind.GAUGE, "", Map.of());
        final int total = GorillaChunk.MAX_SAMPLES * 60;
        final Thread writer = new Thread(() ->
        {
            for (int i = 0; i < total; i++)
            {
                store.append(series, i, i);
            }
        });
        final Throwable[] failure = new Throwable[1];
        final Thread[] readers = new Thread[2];
        final long[] checks = new long[readers.length];
        for (int r = 0; r < readers.length; r++)
        {
            final int id = r;
            readers[r] = new Thread(() ->
            {
                try
                {
                    while (writer.isAlive() || checks[id] == 0)
                    {
                        final long[] expected = {0};
                        series.read(Long.MIN_VALUE, Long.MAX_VALUE, (t, v) ->
                        {
                            if (t != expected[0] || v != expected[0])
                            {
                                throw new AssertionError("expected sample " + expected[0] + ", got " + t + "=" + v);
                            }
                            expected[0]++;
                        });
                        checks[id]++;
                    }
                }
                catch (final Throwable t)
                {
                    failure[0] = t;
                }
            });
        }
        writer.start();
        for (final Thread r : readers)
        {
            r.start();
        }
        writer.join();
        for (final Thread r : readers)
        {
            r.join();
        }
        assertThat(failure[0]).isNull();
        assertThat(series.sampleCount()).isEqualTo(total);
    }
}
