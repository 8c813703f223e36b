package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.Matcher;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Verifies a model version change against the serving service's own series: for {@link #WATCH_MILLIS} after a
 * version replaces another, each gauge of the service (its inference series above all) is compared, once a minute
 * of event time, with its level in the half hour before the change. A series that moved at least
 * {@link #SHIFT_DEVIATION} robust standard deviations, on at least {@link #MIN_POINTS} points, is reported as a
 * {@code METRIC_ANOMALY} ({@code source=change-check}) starting at its first moved point, whose expected range is
 * the pre-change level. A model's new version can shift its predictions without any detector firing: a detector
 * adapts to a gradual shift, while the comparison with the level before a known change does not.
 *
 * <p>Event time only; ids derive from the series and the change, so a replay reports the same. JVM series are left
 * out (a model change does not act on them). Analysis thread only.
 */
final class ModelChangeCheck {

    static final long WATCH_MILLIS = 600_000;
    static final long EVERY_MILLIS = 60_000;
    static final double SHIFT_DEVIATION = 12.0;
    static final int MIN_POINTS = 3;
    private static final int MAX_WATCHES = 64;
    private static final int MAX_SERIES = 64;

    private record Watch(Signal change, Set<String> reported, long[] lastCheck) {
    }

    private final SeriesStore store;
    private final Consumer<Signal> publish;
    private final List<Watch> watches = new ArrayList<>();

    ModelChangeCheck(SeriesStore store, Consumer<Signal> publish) {
        this.store = store;
        this.publish = publish;
    }

    /** Starts watching {@code change} when it replaces a model version on a known service. */
    void onChange(Signal change) {
        if (!RootCauseRanker.isModelChange(change) || RootCauseRanker.firstModelDeploy(change)
                || change.service().isEmpty()) {
            return;
        }
        for (Watch w : watches) {
            // one watch per service and moment (the same change reported by each instance)
            if (w.change().service().equals(change.service()) && w.change().startMillis() == change.startMillis()) {
                return;
            }
        }
        if (watches.size() >= MAX_WATCHES) {
            watches.remove(0);
        }
        watches.add(new Watch(change, new HashSet<>(), new long[] {change.startMillis()}));
    }

    void onTick(long now) {
        Iterator<Watch> it = watches.iterator();
        while (it.hasNext()) {
            Watch w = it.next();
            long at = w.change().startMillis();
            boolean last = now >= at + WATCH_MILLIS;
            if (!last && now - w.lastCheck()[0] < EVERY_MILLIS) {
                continue;
            }
            w.lastCheck()[0] = now;
            check(w, Math.min(now, at + WATCH_MILLIS));
            if (last) {
                it.remove();
            }
        }
    }

    private void check(Watch w, long until) {
        Catalog catalog = store == null ? null : store.catalog();
        if (catalog == null) {
            return;
        }
        Signal change = w.change();
        long at = change.startMillis();
        List<Series> all = catalog.select(List.of(Matcher.of("service", Matcher.Op.EQ, change.service())));
        int n = 0;
        for (Series s : all) {
            if (!(s instanceof MetricSeries m) || m.kind() != Series.Kind.GAUGE || m.name().startsWith("jvm.")
                    || m.name().startsWith("sextant.") || ++n > MAX_SERIES) {
                continue;
            }
            String subject = subject(m.name(), m.labels());
            if (w.reported().contains(subject)) {
                continue;
            }
            List<double[]> points = new ArrayList<>();
            m.read(at - Baselines.BASELINE_MILLIS, until, (t, v) -> points.add(new double[] {t, v}));
            Shift shift = shift(points, at);
            if (shift != null) {
                w.reported().add(subject);
                publish.accept(signal(change, m, subject, shift));
            }
        }
    }

    /** A lasting move after a change: where it began and peaked, and the level before. */
    record Shift(long start, long end, double peakValue, double deviation, double median, double sigma) {
    }

    /**
     * The move of {@code points} ({time, value} in time order) after {@code at} from their robust level before it
     * (leaving out {@link Baselines#GUARD_MILLIS} before it); null unless at least {@link #MIN_POINTS} points moved
     * {@link #SHIFT_DEVIATION} robust standard deviations or more.
     */
    static Shift shift(List<double[]> points, long at) {
        List<double[]> before = new ArrayList<>();
        for (double[] p : points) {
            if (p[0] < at - Baselines.GUARD_MILLIS) {
                before.add(p);
            }
        }
        double[] level = Baselines.level(before);
        if (level == null) {
            return null;
        }
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        double peak = Double.NaN;
        double worst = 0;
        int moved = 0;
        for (double[] p : points) {
            if (p[0] < at) {
                continue;
            }
            double d = Math.abs(p[1] - level[0]) / level[1];
            if (d >= SHIFT_DEVIATION) {
                moved++;
                start = Math.min(start, (long) p[0]);
                end = Math.max(end, (long) p[0]);
                if (d > worst) {
                    worst = d;
                    peak = p[1];
                }
            }
        }
        return moved >= MIN_POINTS ? new Shift(start, end, peak, worst, level[0], level[1]) : null;
    }

    private static Signal signal(Signal change, MetricSeries m, String subject, Shift s) {
        double score = Math.min(0.95, 0.5 + 0.45 * (1 - SHIFT_DEVIATION / s.deviation()));
        String what = change.summary().isEmpty() ? change.subject() : change.summary();
        String summary = String.format(Locale.ROOT, "%s of %s at %.4g after %s, %.0f robust standard deviations from"
                + " its level before (%.4g)", m.name(), change.service(), s.peakValue(), what, s.deviation(), s.median());
        return new Signal("change-check:" + subject + "@" + change.startMillis(), Signal.Kind.METRIC_ANOMALY,
                "change-check", change.service(), subject, m.labels(), s.start(), Math.max(s.start(), s.end()), score,
                Severity.of(score), s.peakValue(), s.median() - 3 * s.sigma(), s.median() + 3 * s.sigma(), false,
                summary);
    }

    /** {@code name{label="value",...}} with the labels sorted, as the metric anomaly stage names its subjects. */
    static String subject(String name, Map<String, String> labels) {
        return io.sextant.collector.analysis.MetricAnomalyStage.subject(name, labels);
    }
}
