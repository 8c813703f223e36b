package io.sextant.collector.api;

import io.sextant.collector.http.Request;
import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.Matcher;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParsingTest
{
    private static Request request(final String... kv)
    {
        final Map<String, List<String>> params = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2)
        {
            params.put(kv[i], List.of(kv[i + 1]));
        }
        return new Request("GET", "/api/v1/query_range", params, Map.of(), new byte[0]);
    }

    @Test
    void parsesSelectorsWithAllOperators()
    {
        final List<Matcher> m = Selector.parse("query", "jvm.memory.used{area=\"heap\", pool!='eden', svc=~\"a.*\",x!~\"\\\"q\"}");
        assertThat(m).extracting(Matcher::label).containsExactly(Catalog.NAME_LABEL, "area", "pool", "svc", "x");
        assertThat(m).extracting(Matcher::op).containsExactly(Matcher.Op.EQ, Matcher.Op.EQ, Matcher.Op.NE,
            Matcher.Op.RE, Matcher.Op.NRE);
        assertThat(m.get(4).value()).isEqualTo("\"q");
        assertThat(Selector.parse("query", "{service=\"a\"}")).hasSize(1);
    }

    @Test
    void rejectsBadSelectorsNamingTheParameterAndPosition()
    {
        for (final String bad : Arrays.asList("", "x{", "x{a}", "x{a=b}", "x{a=\"b\"", "x{=\"b\"}", "x y",
            "{a=~\"(\"}", "{}"))
        {
            assertThatThrownBy(() -> Selector.parse("query", bad)).as(bad)
                .isInstanceOf(BadParameterException.class).hasMessageContaining("'query'");
        }
        assertThatThrownBy(() -> Selector.parse("match", "x{a=\"b\" c}")).hasMessageContaining("position");
    }

    @Test
    void parsesTimesAsRfc3339UnixSecondsAndRelative()
    {
        final long now = 1_795_000_000_000L;
        assertThat(TimeParams.time("start", "2026-11-27T18:00:00Z", now)).isEqualTo(1_795_802_400_000L);
        assertThat(TimeParams.time("start", "2026-11-27T19:00:00+01:00", now)).isEqualTo(1_795_802_400_000L);
        assertThat(TimeParams.time("start", "1795802400.5", now)).isEqualTo(1_795_802_400_500L);
        assertThat(TimeParams.time("start", "now", now)).isEqualTo(now);
        assertThat(TimeParams.time("start", "now-1h", now)).isEqualTo(now - 3_600_000L);
        assertThat(TimeParams.time("start", "-15m", now)).isEqualTo(now - 900_000L);
        assertThatThrownBy(() -> TimeParams.time("end", "tomorrow", now)).hasMessageContaining("'end'");
        assertThat(TimeParams.step("step", "15s")).isEqualTo(15_000L);
        assertThat(TimeParams.step("step", "0.5")).isEqualTo(500L);
        assertThatThrownBy(() -> TimeParams.step("step", "0s")).hasMessageContaining("'step'");
        assertThatThrownBy(() -> TimeParams.step("step", "fast")).hasMessageContaining("'step'");
    }

    @Test
    void rangeParametersAreChecked()
    {
        final long now = 1_795_000_000_000L;
        assertThatThrownBy(() -> RangeQuery.parse(request("query", "x", "start", "100", "end", "50"), now))
            .hasMessageContaining("'start'");
        assertThatThrownBy(() -> RangeQuery.parse(request("query", "x", "start", "0", "end", "100000", "step", "1s"), now))
            .hasMessageContaining("'step'");
        assertThatThrownBy(() -> RangeQuery.parse(request("query", "x", "agg", "quantile"), now))
            .hasMessageContaining("'q'");
        assertThatThrownBy(() -> RangeQuery.parse(request("query", "x", "agg", "quantile", "q", "1.5"), now))
            .hasMessageContaining("'q'");
        final RangeQuery.Params p = RangeQuery.parse(request("query", "x", "agg", "p99.9", "by", "service, host"), now);
        assertThat(p.quantile()).isCloseTo(0.999, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p.by()).containsExactly("service", "host");
    }

    @Test
    void aggregatesStepsAndGroupsByLabels()
    {
        final SeriesStore store = new SeriesStore(10, Long.MAX_VALUE, 1);
        final MetricSeries a = store.metric("req", Series.Kind.COUNTER, "", Map.of("svc", "a", "host", "1"));
        final MetricSeries b = store.metric("req", Series.Kind.COUNTER, "", Map.of("svc", "a", "host", "2"));
        for (int i = 0; i <= 20; i++)
        {
            store.append(a, 1000L * i, 10.0 * i);
            store.append(b, 1000L * i, 5.0 * i);
        }
        store.publish(0, true);
        final RangeQuery.Params rate = RangeQuery.parse(request("query", "req", "start", "5", "end", "20",
            "step", "5s", "agg", "rate", "by", "svc"), 0);
        final List<Map<String, Object>> result = RangeQuery.evaluate(store.catalog(), rate);
        assertThat(result).hasSize(1);
        @SuppressWarnings("unchecked")
        final List<double[]> values = (List<double[]>)result.get(0).get("values");
        assertThat(values).hasSize(4);
        assertThat(values.get(0)[1]).isEqualTo(15.0);
        assertThat(result.get(0).get("metric")).isEqualTo(Map.of("svc", "a"));
        final RangeQuery.Params max = RangeQuery.parse(request("query", "req{host=\"2\"}", "start", "0", "end", "20",
            "step", "10s", "agg", "max"), 0);
        @SuppressWarnings("unchecked")
        final List<double[]> maxValues = (List<double[]>)RangeQuery.evaluate(store.catalog(), max).get(0).get("values");
        assertThat(maxValues.get(1)[1]).isEqualTo(50.0);
        assertThat(maxValues.get(2)[1]).isEqualTo(100.0);
    }
}
