package io.sextant.collector.store;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramSeriesTest
{
    private static Histogram of(final long... values)
    {
        final Histogram h = new Histogram(2);
        h.setAutoResize(true);
        for (final long v : values)
        {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void mergesSnapshotsOverAnyRangeForQuantiles()
    {
        final SeriesStore store = new SeriesStore(10, Long.MAX_VALUE, 1);
        final HistogramSeries s = store.histogram("latency", "ms", Map.of());
        for (int i = 0; i < 40; i++)
        {
            store.append(s, 1000L * i, of(i * 10L, i * 10L + 1));
        }
        assertThat(s.entryCount()).isEqualTo(40);
        assertThat(s.merge(0, 39_000).getTotalCount()).isEqualTo(80);
        assertThat(s.merge(10_000, 19_000).getTotalCount()).isEqualTo(20);
        assertThat(s.merge(10_000, 19_000).getValueAtPercentile(100)).isBetween(190L, 192L);
        assertThat(s.merge(0, 39_000).getValueAtPercentile(50)).isBetween(190L, 200L);
        store.applyRetention(Long.MAX_VALUE);
        assertThat(s.entryCount()).isEqualTo(40);
        s.dropBefore(20_000);
        assertThat(s.entryCount()).isEqualTo(20);
        assertThat(s.merge(0, 39_000).getTotalCount()).isEqualTo(40);
    }

    @Test
    void keepsSnapshotsWithTheSameTime()
    {
        final SeriesStore store = new SeriesStore(10, Long.MAX_VALUE, 1);
        final HistogramSeries s = store.histogram("d", "ns", Map.of());
        store.append(s, 5, of(1_000_000));
        store.append(s, 5, of(2_000_000));
        store.append(s, 6, of(3_000_000));
        assertThat(s.merge(0, 10).getTotalCount()).isEqualTo(3);
    }
}
