package io.sextant.collector.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogTest
{
    private static SeriesStore store()
    {
        final SeriesStore store = new SeriesStore(4, Long.MAX_VALUE, 1);
        store.metric("heap", Series.Kind.GAUGE, "bytes", Map.of("service", "a", "area", "eden"));
        store.metric("heap", Series.Kind.GAUGE, "bytes", Map.of("service", "a", "area", "old"));
        store.metric("heap", Series.Kind.GAUGE, "bytes", Map.of("service", "b", "area", "old"));
        store.histogram("latency", "ms", Map.of("service", "b"));
        store.publish(0, true);
        return store;
    }

    @Test
    void invertedIndexFindsSeriesByLabelsAndName()
    {
        final Catalog c = store().catalog();
        assertThat(c.labelNames()).containsExactly("__name__", "area", "service");
        assertThat(c.labelValues("area")).containsExactly("eden", "old");
        assertThat(c.names()).containsExactly("heap", "latency");
        assertThat(c.select(List.of(Matcher.of("area", Matcher.Op.EQ, "old")))).hasSize(2);
        assertThat(c.select(List.of(Matcher.of(Catalog.NAME_LABEL, Matcher.Op.EQ, "heap"),
            Matcher.of("service", Matcher.Op.EQ, "a"), Matcher.of("area", Matcher.Op.NE, "eden"))))
            .extracting(s -> s.labels().get("area")).containsExactly("old");
        assertThat(c.select(List.of(Matcher.of("service", Matcher.Op.RE, "a|b"),
            Matcher.of("area", Matcher.Op.EQ, "")))).extracting(Series::name).containsExactly("latency");
        assertThat(c.select(List.of(Matcher.of("service", Matcher.Op.EQ, "zzz")))).isEmpty();
        assertThat(c.select(List.of(Matcher.of(Catalog.NAME_LABEL, Matcher.Op.NRE, "he.*")))).hasSize(1);
    }

    @Test
    void sameIdentityReturnsTheSameSeries()
    {
        final SeriesStore store = store();
        final MetricSeries s = store.metric("heap", Series.Kind.GAUGE, "bytes", Map.of("area", "old", "service", "b"));
        assertThat(s).isSameAs(store.catalog().select(List.of(Matcher.of("service", Matcher.Op.EQ, "b"),
            Matcher.of("area", Matcher.Op.EQ, "old"))).get(0));
    }

    @Test
    void cardinalityLimitRefusesNewSeriesAndCountsIt()
    {
        final SeriesStore store = store();
        final MetricSeries refused = store.metric("heap", Series.Kind.GAUGE, "bytes", Map.of("service", "c"));
        assertThat(refused).isNull();
        assertThat(store.refusedSeries()).isEqualTo(1);
        store.append(refused, 1, 1.0);
        assertThat(store.refusedSamples()).isEqualTo(1);
        assertThat(store.catalog().size()).isEqualTo(4);
    }

    @Test
    void readersSeeOnlyPublishedCatalogs()
    {
        final SeriesStore store = new SeriesStore(10, Long.MAX_VALUE, 1);
        store.metric("x", Series.Kind.GAUGE, "", Map.of());
        assertThat(store.catalog().size()).isZero();
        store.publish(1000, false);
        assertThat(store.catalog().size()).isEqualTo(1);
    }

    @Test
    void retentionDropsOldChunksButKeepsTheOpenOne()
    {
        final SeriesStore store = new SeriesStore(10, 10_000, 1);
        final MetricSeries s = store.metric("x", Series.Kind.GAUGE, "", Map.of());
        for (int i = 0; i < GorillaChunk.MAX_SAMPLES * 3; i++)
        {
            store.append(s, i, i);
        }
        assertThat(s.chunks()).hasSize(3);
        store.applyRetention(GorillaChunk.MAX_SAMPLES * 2L + 10_000);
        assertThat(s.chunks()).hasSize(1);
        final long[] first = {-1};
        s.read(0, Long.MAX_VALUE, (t, v) ->
        {
            if (first[0] < 0)
            {
                first[0] = t;
            }
        });
        assertThat(first[0]).isEqualTo(GorillaChunk.MAX_SAMPLES * 2L);
    }
}
