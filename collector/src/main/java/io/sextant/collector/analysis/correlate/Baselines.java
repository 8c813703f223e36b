package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.Matcher;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a metric anomaly's series moved from its own <b>pre-onset baseline</b>, read from the store: the
 * largest distance of a point after the onset from the median of the points in {@link #BASELINE_MILLIS} before
 * it, in robust standard deviations (1.4826 times the median absolute deviation). Counters are read as their
 * per-second rate. Unlike a detector's expected range, which adapts to a lasting shift, the baseline stops at the
 * onset, so the figure measures the whole shift.
 *
 * <p>Only points up to the analysis' event time are read, so a replay computes the same figures. Analysis thread
 * only.
 */
final class Baselines {

    /** How much history before the onset forms the baseline. */
    static final long BASELINE_MILLIS = 1_800_000;
    /** Points this close before the onset are left out of the baseline (a detector can lag the shift). */
    static final long GUARD_MILLIS = 30_000;
    /** How far after the onset the deviation is looked for. */
    static final long SPAN_MILLIS = 600_000;
    private static final int MIN_BASELINE_POINTS = 8;
    private static final int MAX_CACHED = 20_000;

    private final SeriesStore store;
    private final Map<String, Object> seriesBySubject = new HashMap<>();
    private static final Object NONE = new Object();

    Baselines(SeriesStore store) {
        this.store = store;
    }

    /**
     * The deviation of {@code s}'s series (a {@code METRIC_ANOMALY} of a stored series) in robust standard
     * deviations, between its start and {@code min(end, nowMillis)}, and the time of the first point that moved at
     * least {@link RootCauseRanker#MIN_DEVIATION}: {deviation, time}, NaN when unknown (another kind, no such
     * series, too little history, no such point).
     */
    double[] deviation(Signal s, long onsetMillis, long endMillis, long nowMillis) {
        if (s.kind() != Signal.Kind.METRIC_ANOMALY || store == null) {
            return UNKNOWN;
        }
        MetricSeries series = series(s);
        if (series == null) {
            return UNKNOWN;
        }
        long to = Math.min(Math.min(endMillis, onsetMillis + SPAN_MILLIS), nowMillis);
        List<double[]> points = new ArrayList<>();
        boolean counter = series.kind() == Series.Kind.COUNTER;
        long from = onsetMillis - BASELINE_MILLIS;
        double[] last = {Long.MIN_VALUE, Double.NaN};
        series.read(counter ? from - 120_000 : from, Math.max(to, onsetMillis), (t, v) -> {
            if (counter) {
                double prevT = last[0];
                double prevV = last[1];
                last[0] = t;
                last[1] = v;
                if (prevT == Long.MIN_VALUE || t <= prevT || !(v >= prevV) || t < from) {
                    return;
                }
                points.add(new double[] {t, (v - prevV) * 1000.0 / (t - prevT)});
            } else {
                points.add(new double[] {t, v});
            }
        });
        return new double[] {robustDeviation(points, onsetMillis),
                firstMoved(points, onsetMillis, RootCauseRanker.MIN_DEVIATION)};
    }

    private static final double[] UNKNOWN = {Double.NaN, Double.NaN};

    /** {@link #level} of the points before {@code onsetMillis - GUARD_MILLIS}; null with too few. */
    private static double[] levelBefore(List<double[]> points, long onsetMillis) {
        List<double[]> before = new ArrayList<>();
        for (double[] p : points) {
            if (p[0] < onsetMillis - GUARD_MILLIS) {
                before.add(p);
            }
        }
        return level(before);
    }

    /**
     * Time of the first point at or after {@code onsetMillis} at least {@code threshold} robust standard deviations
     * from the level before it; NaN when none or unknown.
     */
    static double firstMoved(List<double[]> points, long onsetMillis, double threshold) {
        double[] level = levelBefore(points, onsetMillis);
        if (level == null) {
            return Double.NaN;
        }
        for (double[] p : points) {
            if (p[0] >= onsetMillis && Math.abs(p[1] - level[0]) / level[1] >= threshold) {
                return p[0];
            }
        }
        return Double.NaN;
    }

    /**
     * The largest distance of a point at or after {@code onsetMillis} from the median of the points before
     * {@code onsetMillis - GUARD_MILLIS}, in robust standard deviations; NaN with too few points either side.
     * Points are {time, value} pairs in time order.
     */
    static double robustDeviation(List<double[]> points, long onsetMillis) {
        double[] level = levelBefore(points, onsetMillis);
        if (level == null) {
            return Double.NaN;
        }
        double median = level[0];
        double sigma = level[1];
        double worst = Double.NaN;
        for (double[] p : points) {
            if (p[0] >= onsetMillis) {
                double d = Math.abs(p[1] - median) / sigma;
                worst = Double.isNaN(worst) ? d : Math.max(worst, d);
            }
        }
        return worst;
    }

    /**
     * The robust level of {time, value} points: {median, 1.4826 x median absolute deviation}, the spread floored
     * (a flat baseline, a constant gauge, would make any move infinitely strong); null with too few points.
     */
    static double[] level(List<double[]> points) {
        int n = points.size();
        if (n < MIN_BASELINE_POINTS) {
            return null;
        }
        double[] base = new double[n];
        for (int i = 0; i < n; i++) {
            base[i] = points.get(i)[1];
        }
        double median = median(base);
        double[] abs = new double[n];
        for (int k = 0; k < n; k++) {
            abs[k] = Math.abs(base[k] - median);
        }
        return new double[] {median, Math.max(1.4826 * median(abs), Math.max(1e-3 * Math.abs(median), 1e-9))};
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }

    /** A stored series named for the ranking. */
    record Probe(String name, String subject, Map<String, String> labels) {
    }

    /** The JVM resource series ({@code jvm.*} gauges and counters) of {@code service}, at most 64. */
    List<Probe> resources(String service) {
        Catalog catalog = store == null ? null : store.catalog();
        if (catalog == null) {
            return List.of();
        }
        List<Probe> out = new ArrayList<>();
        for (Series s : catalog.select(List.of(Matcher.of("service", Matcher.Op.EQ, service)))) {
            if (s instanceof MetricSeries m && m.name().startsWith("jvm.") && out.size() < 64) {
                String subject = ModelChangeCheck.subject(m.name(), m.labels());
                seriesBySubject.putIfAbsent(subject, m);
                out.add(new Probe(m.name(), subject, m.labels()));
            }
        }
        return out;
    }

    private MetricSeries series(Signal s) {
        Object hit = seriesBySubject.get(s.subject());
        if (hit == null) {
            hit = lookup(s);
            if (seriesBySubject.size() >= MAX_CACHED) {
                seriesBySubject.clear();
            }
            // a miss is not remembered: the catalog may publish the series later
            if (hit != NONE) {
                seriesBySubject.put(s.subject(), hit);
            }
        }
        return hit instanceof MetricSeries m ? m : null;
    }

    private Object lookup(Signal s) {
        Catalog catalog = store.catalog();
        if (catalog == null) {
            return NONE;
        }
        String name = RootCauseRanker.metricName(s.subject());
        List<Matcher> matchers = new ArrayList<>();
        matchers.add(Matcher.of(Catalog.NAME_LABEL, Matcher.Op.EQ, name));
        for (Map.Entry<String, String> e : s.labels().entrySet()) {
            matchers.add(Matcher.of(e.getKey(), Matcher.Op.EQ, e.getValue()));
        }
        for (Series series : catalog.select(matchers)) {
            if (series instanceof MetricSeries m && m.labels().size() == s.labels().size()) {
                return m;
            }
        }
        return NONE;
    }
}
