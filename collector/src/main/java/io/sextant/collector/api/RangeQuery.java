package io.sextant.collector.api;

import io.sextant.collector.http.Request;
import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.Matcher;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A range query: a selector, {@code start}/{@code end}/{@code step}, an aggregation over each step
 * ({@code avg min max sum count rate last quantile}) and optional grouping by labels ({@code by}).
 *
 * <p>Step buckets end at {@code start + i*step} and cover the {@code step} before it. Without
 * {@code by}, each series is its own group. With {@code by} (a comma-separated list, possibly
 * empty), groups combine: sums and counts add, min and max fold, avg is the sum over the count,
 * rate and last add up per group, quantiles merge the histograms of the group.
 */
final class RangeQuery
{
    /** Maximum points per series in one answer. */
    static final int MAX_POINTS = 11_000;

    enum Agg
    {
        AVG, MIN, MAX, SUM, COUNT, RATE, LAST, QUANTILE
    }

    record Params(List<Matcher> matchers, long start, long end, long step, Agg agg, double quantile, List<String> by)
    {
        int points()
        {
            return (int)((end - start) / step) + 1;
        }
    }

    private RangeQuery()
    {
    }

    static Params parse(final Request request, final long nowMillis)
    {
        final List<Matcher> matchers = Selector.parse("query", request.param("query"));
        final long end = request.param("end") == null ? nowMillis : TimeParams.time("end", request.param("end"), nowMillis);
        final long start = request.param("start") == null ? end - 3_600_000L :
            TimeParams.time("start", request.param("start"), nowMillis);
        if (start > end)
        {
            throw new BadParameterException("start", "must not be after end");
        }
        final long step = request.param("step") == null ? Math.max(1000, (end - start) / 250) :
            TimeParams.step("step", request.param("step"));
        if ((end - start) / step + 1 > MAX_POINTS)
        {
            throw new BadParameterException("step", "too small for the range: " + ((end - start) / step + 1) +
                " points per series, at most " + MAX_POINTS + " (raise step or narrow start/end)");
        }
        Agg agg = Agg.AVG;
        double quantile = Double.NaN;
        final String aggText = request.param("agg");
        if (aggText != null)
        {
            final String a = aggText.trim().toLowerCase(Locale.ROOT);
            if (a.matches("p\\d{1,2}(\\.\\d+)?"))
            {
                agg = Agg.QUANTILE;
                quantile = Double.parseDouble(a.substring(1)) / 100.0;
            }
            else
            {
                try
                {
                    agg = Agg.valueOf(a.toUpperCase(Locale.ROOT));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new BadParameterException("agg", "'" + aggText + "' is not one of avg, min, max, sum, " +
                        "count, rate, last, quantile, p50, p99, p99.9");
                }
            }
        }
        if (agg == Agg.QUANTILE && Double.isNaN(quantile))
        {
            final String q = request.param("q");
            if (q == null)
            {
                throw new BadParameterException("q", "missing; agg=quantile needs q in [0, 1], for example q=0.99");
            }
            try
            {
                quantile = Double.parseDouble(q);
            }
            catch (final NumberFormatException ex)
            {
                throw new BadParameterException("q", "'" + q + "' is not a number in [0, 1]");
            }
        }
        if (agg == Agg.QUANTILE && !(quantile >= 0 && quantile <= 1))
        {
            throw new BadParameterException(request.param("q") != null ? "q" : "agg", "quantile must be in [0, 1]");
        }
        final String byText = request.param("by");
        final List<String> by = byText == null ? null :
            Arrays.stream(byText.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Params(matchers, start, end, step, agg, quantile, by);
    }

    /** Per-group, per-bucket partial aggregates. */
    private static final class Partial
    {
        final Map<String, String> metric;
        final double[] sum;
        final double[] count;
        final double[] min;
        final double[] max;
        final double[] last;
        final double[] rate;
        final Histogram[] histograms;

        Partial(final Map<String, String> metric, final int n)
        {
            this.metric = metric;
            sum = new double[n];
            count = new double[n];
            min = new double[n];
            max = new double[n];
            last = new double[n];
            rate = new double[n];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            Arrays.fill(last, Double.NaN);
            Arrays.fill(rate, Double.NaN);
            histograms = new Histogram[n];
        }
    }

    static List<Map<String, Object>> evaluate(final Catalog catalog, final Params p)
    {
        final List<Series> selected = catalog.select(p.matchers());
        final int n = p.points();
        final Map<String, Partial> groups = new LinkedHashMap<>();
        for (final Series s : selected)
        {
            if (p.agg() == Agg.QUANTILE && !(s instanceof HistogramSeries))
            {
                continue;
            }
            final Map<String, String> metric = new TreeMap<>();
            if (p.by() == null)
            {
                metric.put(Catalog.NAME_LABEL, s.name());
                metric.putAll(s.labels());
            }
            else
            {
                for (final String label : p.by())
                {
                    final String v = Catalog.NAME_LABEL.equals(label) ? s.name() : s.labels().get(label);
                    if (v != null)
                    {
                        metric.put(label, v);
                    }
                }
            }
            final Partial group = groups.computeIfAbsent(metric.toString(), k -> new Partial(metric, n));
            if (s instanceof MetricSeries)
            {
                addMetric((MetricSeries)s, p, group);
            }
            else
            {
                addHistogram((HistogramSeries)s, p, group);
            }
        }
        final List<Map<String, Object>> result = new ArrayList<>();
        for (final Partial g : groups.values())
        {
            final List<double[]> values = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final double v = finish(p, g, i);
                if (!Double.isNaN(v) && !Double.isInfinite(v))
                {
                    values.add(new double[] {(p.start() + (long)i * p.step()) / 1000.0, v});
                }
            }
            if (!values.isEmpty())
            {
                final Map<String, Object> series = new LinkedHashMap<>();
                series.put("metric", g.metric);
                series.put("values", values);
                result.add(series);
            }
        }
        return result;
    }

    private static int bucket(final Params p, final long t)
    {
        final long i = Math.floorDiv(t - p.start() + p.step() - 1, p.step());
        return i < 0 || i >= p.points() ? -1 : (int)i;
    }

    private static void addMetric(final MetricSeries s, final Params p, final Partial g)
    {
        final int n = p.points();
        final double[] increase = new double[n];
        final double[] duration = new double[n];
        final double[] last = new double[n];
        Arrays.fill(last, Double.NaN);
        final long[] prevTime = {Long.MIN_VALUE};
        final double[] prevValue = {Double.NaN};
        s.read(p.start() - p.step() - 1, p.end(), (t, v) ->
        {
            final int i = bucket(p, t);
            if (i >= 0)
            {
                g.sum[i] += v;
                g.count[i] += 1;
                g.min[i] = Math.min(g.min[i], v);
                g.max[i] = Math.max(g.max[i], v);
                last[i] = v;
                if (prevTime[0] != Long.MIN_VALUE)
                {
                    increase[i] += v >= prevValue[0] ? v - prevValue[0] : v;
                    duration[i] += t - prevTime[0];
                }
            }
            prevTime[0] = t;
            prevValue[0] = v;
        });
        for (int i = 0; i < n; i++)
        {
            if (!Double.isNaN(last[i]))
            {
                g.last[i] = Double.isNaN(g.last[i]) ? last[i] : g.last[i] + last[i];
            }
            if (duration[i] > 0)
            {
                final double r = increase[i] / (duration[i] / 1000.0);
                g.rate[i] = Double.isNaN(g.rate[i]) ? r : g.rate[i] + r;
            }
        }
    }

    private static void addHistogram(final HistogramSeries s, final Params p, final Partial g)
    {
        for (int i = 0; i < p.points(); i++)
        {
            final long bucketEnd = p.start() + (long)i * p.step();
            final Histogram h = s.merge(bucketEnd - p.step() + 1, bucketEnd);
            if (h.getTotalCount() == 0)
            {
                continue;
            }
            if (g.histograms[i] == null)
            {
                g.histograms[i] = h;
            }
            else
            {
                g.histograms[i].add(h);
            }
        }
    }

    private static double finish(final Params p, final Partial g, final int i)
    {
        final Histogram h = g.histograms[i];
        if (h != null && g.count[i] == 0)
        {
            switch (p.agg())
            {
                case QUANTILE: return h.getValueAtPercentile(p.quantile() * 100.0);
                case AVG: return h.getMean();
                case MIN: return h.getMinValue();
                case MAX: return h.getMaxValue();
                case COUNT: return h.getTotalCount();
                case SUM: return h.getMean() * h.getTotalCount();
                case RATE: return h.getTotalCount() / (p.step() / 1000.0);
                default: return h.getTotalCount();
            }
        }
        if (g.count[i] == 0)
        {
            return Double.NaN;
        }
        switch (p.agg())
        {
            case AVG: return g.sum[i] / g.count[i];
            case MIN: return g.min[i];
            case MAX: return g.max[i];
            case SUM: return g.sum[i];
            case COUNT: return g.count[i];
            case RATE: return g.rate[i];
            case LAST: return g.last[i];
            default: return Double.NaN;
        }
    }
}
