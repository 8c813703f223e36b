package io.sextant.collector.analysis;

import io.sextant.collector.analysis.anomaly.Anomaly;
import io.sextant.collector.analysis.anomaly.AnomalyTracker;
import io.sextant.collector.analysis.anomaly.MultivariateDetector;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.analysis.anomaly.SextantDetector;
import io.sextant.collector.analysis.forecast.HoltWintersForecaster;
import io.sextant.collector.analysis.forecast.TimeToThreshold;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.config.Settings;
import io.sextant.collector.store.AgentHello;
import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.Matcher;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import org.HdrHistogram.Histogram;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming anomaly detection and forecasting over every metric series the store accepts, published as
 * {@link Signal}s.
 *
 * <ul>
 *   <li><b>Per series</b> a {@link SextantDetector} and an {@link AnomalyTracker}: gauges are analysed as they
 *       are, counters as their per-second rate between two samples (never the cumulative value), histogram
 *       series (inference latency, span duration, GC pauses) as two derived series per snapshot,
 *       {@code <name>:p99} and {@code <name>:count}. Each anomaly that opens, grows or ends is published as a
 *       {@link Signal.Kind#METRIC_ANOMALY} signal whose id is {@code <subject>@<start millis>}: event time,
 *       so a replay of the journal publishes the same ids. A series that showed at least
 *       {@value #STUCK_MIN_CHANGES} value changes and then repeats one value for {@value #STUCK_MIN_POINTS} points
 *       (and {@value #STUCK_RUN_FACTOR} times its longest flat run before) is "stuck", which no residual test
 *       sees: it scores {@value #STUCK_SCORE} (WARNING) while the run lasts.</li>
 *   <li><b>Per JVM</b> (agent instance) a {@link MultivariateDetector} over rows of heap used, GC time, CPU,
 *       threads, allocation rate and inference latency, aligned per agent interval; its isolation forests are
 *       fitted on one background thread (the analysis thread hands a copy over and never waits) →
 *       {@link Signal.Kind#MULTIVARIATE_ANOMALY}.</li>
 *   <li><b>Forecasts</b>: per series a {@link HoltWintersForecaster} (period found, not configured). Where a
 *       series has a ceiling (a pool's {@code .used} against its {@code .max}, a {@code utilization} against
 *       1, a non-JVM latency p99 against the configured SLO) a crossing predicted within the horizon is
 *       published as {@link Signal.Kind#PREDICTED} while the value is still below it.</li>
 *   <li><b>Changes</b>: a new session of an agent (its HELLO) is a {@link Signal.Kind#CHANGE} ("agent
 *       restart") at the time the new JVM started (the HELLO's start time; its receive time when the agent sent
 *       none).</li>
 * </ul>
 *
 * <p>Bounded: at most {@code maxSeries} series are analysed (a derived series counts as one); samples of
 * further series are ignored and the refusal counted ({@link #refusedSeries()}). Each series costs about
 * {@code 30 KiB + 32 B * ringPoints}.
 *
 * <p>Threading: every {@code on*} method runs on the analysis thread, which alone writes the detectors. HTTP
 * threads read {@link #select} views: the expected band through each series' {@link ExpectedRing}, the
 * forecast through a frozen copy published in a volatile field.
 */
public final class MetricAnomalyStage implements AnalysisStage, AutoCloseable {

    /** Name of the per-snapshot 99th percentile series derived from a histogram series. */
    public static final String P99_SUFFIX = ":p99";
    /** Name of the per-snapshot count series derived from a histogram series. */
    public static final String COUNT_SUFFIX = ":count";
    static final int RING_POINTS = 720;
    /** Event time between two forecast copies published for readers (sooner when a reader asked). */
    static final long FORECAST_PUBLISH_MILLIS = 60_000;
    static final int MIN_FORECAST_POINTS = 30;
    static final int MAX_FORECAST_STEPS = 20_000;
    static final int PREDICTION_QUIET_POINTS = 10;
    static final int PREDICTION_REFRESH_POINTS = 10;
    static final long ROW_GAP_MILLIS = 200;
    static final int AGENTS_REMEMBERED = 100_000;
    static final double MULTIVARIATE_THRESHOLD = 0.5;
    /** A run of identical values this long (and {@link #STUCK_RUN_FACTOR} times the longest before) is "stuck". */
    static final int STUCK_MIN_POINTS = 30;
    static final int STUCK_RUN_FACTOR = 4;
    /** Value changes a series must have shown before a flat run can count as stuck. */
    static final int STUCK_MIN_CHANGES = 50;
    /** Score of a stuck series (WARNING). */
    static final double STUCK_SCORE = 0.6;
    static final String[] DIMENSIONS = {"heap used", "GC time", "CPU", "threads", "allocation rate",
        "inference latency p99"};

    /**
     * The stage's settings.
     *
     * @param maxSeries        most series analysed
     * @param latencySloMillis latency a p99 series is forecast against (non-JVM series with a time unit)
     * @param horizonMillis    how far ahead a threshold crossing is predicted
     * @param ringPoints       points of each series' expected band kept for the API
     * @param multivariate     whether the per-JVM multivariate detection runs
     */
    public record Options(int maxSeries, double latencySloMillis, long horizonMillis, int ringPoints,
                          boolean multivariate) {

        /** The options configured in the collector's settings. */
        public static Options from(CollectorConfig config) {
            return new Options(config.intCount(Settings.ANOMALY_MAX_SERIES),
                    config.duration(Settings.LATENCY_SLO).toNanos() / 1e6,
                    config.duration(Settings.FORECAST_HORIZON).toMillis(), RING_POINTS, true);
        }
    }

    /**
     * What HTTP threads see of one analysed series: its identity, the expected band and the latest forecast.
     */
    public static final class View {
        private final String name;
        private final String subject;
        private final Map<String, String> labels;
        private final String unit;
        private final boolean rate;
        private final ExpectedRing ring;
        private volatile HoltWintersForecaster forecast;
        private volatile boolean wanted;
        private volatile double threshold = Double.NaN;
        private volatile String thresholdName = "";

        View(String name, String subject, Map<String, String> labels, String unit, boolean rate, int ringPoints) {
            this.name = name;
            this.subject = subject;
            this.labels = labels;
            this.unit = unit;
            this.rate = rate;
            this.ring = new ExpectedRing(ringPoints);
        }

        /** The analysed name ({@code <histogram>:p99} for a derived series). */
        public String name() {
            return name;
        }

        /** {@code name{label="value",...}}, the {@link Signal#subject()} of its anomalies. */
        public String subject() {
            return subject;
        }

        public Map<String, String> labels() {
            return labels;
        }

        /** Unit of the analysed values (for a counter: per second of this unit). */
        public String unit() {
            return unit;
        }

        /** True when the values are a counter's per-second rate. */
        public boolean rate() {
            return rate;
        }

        public ExpectedRing ring() {
            return ring;
        }

        /**
         * The latest forecast state (a frozen copy at most {@value #FORECAST_PUBLISH_MILLIS} ms of event time old),
         * or null before the first; asks the analysis thread for a fresh copy at the next point.
         */
        public HoltWintersForecaster forecast() {
            wanted = true;
            return forecast;
        }

        /** The ceiling this series is forecast against (NaN when none). */
        public double threshold() {
            return threshold;
        }

        /** What the ceiling is ({@code max}, {@code SLO}, ...). */
        public String thresholdName() {
            return thresholdName;
        }

        boolean matches(List<Matcher> matchers) {
            for (Matcher m : matchers) {
                String actual = Catalog.NAME_LABEL.equals(m.label()) ? name : labels.getOrDefault(m.label(), "");
                if (!m.matches(actual)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Object REFUSED = new Object();

    /** One analysed series. Analysis thread only. */
    private final class Tracked {
        final View view;
        final String service;
        final boolean counter;
        final SextantDetector detector = new SextantDetector();
        final AnomalyTracker tracker;
        final HoltWintersForecaster forecaster = new HoltWintersForecaster();
        final JvmGroup group;
        final int dim;
        final String partnerSubject;
        final double fixedThreshold;
        final String fixedThresholdName;
        long lastTime = Long.MIN_VALUE;
        double lastRaw = Double.NaN;
        double lastValue = Double.NaN;
        double minSeen = Double.POSITIVE_INFINITY;
        int run;
        int longestRun;
        long changes;
        boolean stuck;
        Signal open;
        Signal predicted;
        int predictedQuiet;
        int predictedAge;
        long forecastPublished;

        Tracked(String name, Map<String, String> labels, String unit, boolean counter, JvmGroup group, int dim) {
            String subject = subject(name, labels);
            this.view = new View(name, subject, labels, unit, counter, options.ringPoints());
            this.service = labels.getOrDefault("service", "");
            this.counter = counter;
            this.tracker = new AnomalyTracker(subject, labels, SextantDetector.NAME,
                    AnomalyTracker.DEFAULT_OPEN_THRESHOLD, AnomalyTracker.DEFAULT_CLOSE_AFTER_QUIET_POINTS);
            this.group = group;
            this.dim = dim;
            String partner = null;
            double fixed = Double.NaN;
            String fixedName = "";
            if (!counter && name.endsWith(".used")) {
                partner = subject(name.substring(0, name.length() - ".used".length()) + ".max", labels);
            } else if (!counter && name.contains("utilization")) {
                if ("1".equals(unit) || "ratio".equals(unit)) {
                    fixed = 1.0;
                    fixedName = "full";
                } else if ("%".equals(unit)) {
                    fixed = 100.0;
                    fixedName = "full";
                }
            } else if (name.endsWith(P99_SUFFIX) && !name.startsWith("jvm.") && Quantities.isTime(unit)) {
                fixed = Quantities.fromMillis(options.latencySloMillis(), unit);
                fixedName = "SLO";
            }
            this.partnerSubject = partner;
            this.fixedThreshold = fixed;
            this.fixedThresholdName = fixedName;
            if (Double.isFinite(fixed)) {
                view.threshold = fixed;
                view.thresholdName = fixedName;
            }
        }

        /** Whether the series never went below zero (its band is then shown from 0). */
        boolean detectorNonNegative() {
            return minSeen >= 0;
        }

        String format(double v) {
            return counter ? Quantities.rate(v, view.unit) : Quantities.format(v, view.unit);
        }
    }

    /** The aligned rows of one JVM's key series. Analysis thread only. */
    private final class JvmGroup {
        final String subject;
        final Map<String, String> labels;
        final String service;
        final MultivariateDetector detector;
        final AnomalyTracker tracker;
        final double[] row = new double[DIMENSIONS.length];
        final double[] last = new double[DIMENSIONS.length];
        final boolean[] seen = new boolean[DIMENSIONS.length];
        final boolean[] ever = new boolean[DIMENSIONS.length];
        final double[] out = new double[DIMENSIONS.length];
        long rowTime = Long.MIN_VALUE;
        double previousScore;
        Signal open;

        JvmGroup(String service, String instance) {
            this.labels = Map.of("service", service, "instance", instance);
            this.subject = subject("jvm", labels);
            this.service = service;
            this.detector = new MultivariateDetector(DIMENSIONS.length, 256, 64, trainer);
            this.tracker = new AnomalyTracker(subject, labels, MultivariateDetector.NAME, MULTIVARIATE_THRESHOLD, 5);
        }

        void offer(long t, int dim, double x) {
            if (rowTime != Long.MIN_VALUE && t > rowTime + ROW_GAP_MILLIS) {
                emit();
            }
            if (rowTime == Long.MIN_VALUE) {
                rowTime = t;
            }
            if (seen[dim]) {
                // several collectors' GC time add up; a latency takes the worst model
                row[dim] = dim == 1 ? row[dim] + x : Math.max(row[dim], x);
            } else {
                row[dim] = x;
                seen[dim] = true;
            }
            ever[dim] = true;
        }

        private void emit() {
            int known = 0;
            for (int d = 0; d < out.length; d++) {
                if (seen[d]) {
                    last[d] = row[d];
                }
                out[d] = last[d];
                known += ever[d] ? 1 : 0;
                seen[d] = false;
            }
            long t = rowTime;
            rowTime = Long.MIN_VALUE;
            if (known < 2) {
                return;
            }
            double raw = detector.update(t, out);
            // one odd row among noisy series is common; an unusual state that holds for two rows is not
            double score = Math.min(raw, previousScore);
            previousScore = raw;
            Anomaly a = tracker.update(t, score, Double.NaN, Double.NaN);
            if (a != null) {
                open = new Signal(a.id(), Signal.Kind.MULTIVARIATE_ANOMALY, a.detector(), service, subject, labels,
                        a.startMillis(), a.endMillis(), a.score(), a.severity(), Double.NaN, Double.NaN, Double.NaN,
                        true, summary(a.score()));
                context.publish(open);
            } else if (open != null && tracker.current() == null) {
                context.publish(open.closed(t));
                open = null;
            }
        }

        private String summary(double score) {
            StringBuilder sb = new StringBuilder("JVM ").append(labels.get("instance")).append(" of ")
                    .append(service).append(" shows an unusual combination of its metrics (isolation forest score ")
                    .append(Quantities.number(score)).append("): ");
            String[] units = {"bytes", "ms", "ratio", "1", "bytes", "ns"};
            boolean first = true;
            for (int d = 0; d < out.length; d++) {
                if (!ever[d]) {
                    continue;
                }
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(DIMENSIONS[d]).append(' ')
                        .append(d == 1 || d == 4 ? Quantities.rate(out[d], units[d]) : Quantities.format(out[d], units[d]));
            }
            return sb.append('.').toString();
        }
    }

    private final Options options;
    private final ExecutorService ownTrainer;
    private final Executor trainer;
    private final Int2ObjectHashMap<Object> bySeries = new Int2ObjectHashMap<>();
    private final Map<String, Tracked> bySubject = new HashMap<>();
    private final Map<String, JvmGroup> groups = new HashMap<>();
    private final ConcurrentHashMap<String, View> views = new ConcurrentHashMap<>();
    private final Map<String, Long> agentSessions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > AGENTS_REMEMBERED;
        }
    };
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong tracked = new AtomicLong();
    private AnalysisContext context;

    /** A stage with its own background trainer thread for the isolation forests (closed by {@link #close}). */
    public MetricAnomalyStage(Options options) {
        this.options = options;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), r -> {
            Thread t = new Thread(r, "sextant-iforest-trainer");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.ownTrainer = pool;
        this.trainer = pool;
    }

    /** A stage whose isolation forests are fitted by {@code trainer} (tests pass {@code Runnable::run}). */
    public MetricAnomalyStage(Options options, Executor trainer) {
        this.options = options;
        this.ownTrainer = null;
        this.trainer = trainer;
    }

    @Override
    public void start(AnalysisContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "metric-anomalies";
    }

    // ---- input ---------------------------------------------------------------------------------

    @Override
    public void onSample(MetricSeries series, long timeMillis, double value) {
        if (series == null) {
            return;
        }
        Object slot = bySeries.get(series.id());
        if (slot == null) {
            slot = register(series);
        }
        if (slot == REFUSED) {
            return;
        }
        Tracked tr = (Tracked) slot;
        if (timeMillis < tr.lastTime) {
            return;
        }
        double x = value;
        if (tr.counter) {
            long dt = timeMillis - tr.lastTime;
            double previous = tr.lastRaw;
            boolean first = tr.lastTime == Long.MIN_VALUE;
            tr.lastRaw = value;
            tr.lastTime = timeMillis;
            if (first || dt <= 0 || !(value >= previous)) {
                return; // no interval yet, or a reset: the rate is unknown for this point
            }
            x = (value - previous) * 1000.0 / dt;
        }
        feed(tr, timeMillis, x);
    }

    @Override
    public void onHistogram(HistogramSeries series, long timeMillis, Histogram snapshot) {
        if (series == null || snapshot == null) {
            return;
        }
        Object slot = bySeries.get(series.id());
        if (slot == null) {
            slot = registerHistogram(series);
        }
        if (slot == REFUSED) {
            return;
        }
        Tracked[] pair = (Tracked[]) slot;
        long count = snapshot.getTotalCount();
        if (pair[0] != null && count > 0 && timeMillis >= pair[0].lastTime) {
            feed(pair[0], timeMillis, snapshot.getValueAtPercentile(99.0));
        }
        if (pair[1] != null && timeMillis >= pair[1].lastTime) {
            feed(pair[1], timeMillis, count);
        }
    }

    @Override
    public void onEvent(Object event) {
        if (event instanceof AgentHello h) {
            String agent = h.agentId().toString();
            Long before = agentSessions.put(agent, h.sessionId());
            if (before != null && before == h.sessionId()) {
                return; // the same session reconnected: not a change
            }
            Map<String, String> labels = Map.of("service", h.service(), "instance", agent, "host", h.host(),
                    "session", Long.toString(h.sessionId()), "pid", Long.toString(h.pid()));
            String summary = before == null
                    ? "Agent " + agent + " of " + h.service() + " on " + h.host() + " connected (pid " + h.pid()
                    + ", session " + h.sessionId() + ")."
                    : "Agent " + agent + " of " + h.service() + " on " + h.host() + " restarted (pid " + h.pid()
                    + ", session " + h.sessionId() + " replaces " + before + ").";
            // A restart happened when the new JVM started, on the agent's clock like its samples and logs (the
            // collector's receive time can be far off it: a reconnect backlog, a replayed or time-compressed feed).
            long at = h.startTimeMillis() > 0 ? h.startTimeMillis() : h.timeMillis();
            context.publish(Signal.change("agent:" + agent + "/" + h.sessionId(), before == null ? "agent-start"
                    : "agent-restart", h.service(), "agent " + agent, labels, at, summary));
        }
    }

    private Object register(MetricSeries series) {
        Object slot;
        if (tracked.get() >= options.maxSeries()) {
            slot = REFUSED;
            refused.incrementAndGet();
        } else {
            boolean counter = series.kind() == Series.Kind.COUNTER;
            slot = track(series.name(), series.labels(), series.unit(), counter);
        }
        bySeries.put(series.id(), slot);
        return slot;
    }

    private Object registerHistogram(HistogramSeries series) {
        Tracked p99 = null;
        Tracked count = null;
        if (tracked.get() < options.maxSeries()) {
            p99 = track(series.name() + P99_SUFFIX, series.labels(), series.unit(), false);
        } else {
            refused.incrementAndGet();
        }
        if (tracked.get() < options.maxSeries()) {
            count = track(series.name() + COUNT_SUFFIX, series.labels(), "1", false);
        } else {
            refused.incrementAndGet();
        }
        Object slot = p99 == null && count == null ? REFUSED : new Tracked[] {p99, count};
        bySeries.put(series.id(), slot);
        return slot;
    }

    private Tracked track(String name, Map<String, String> labels, String unit, boolean counter) {
        int dim = options.multivariate() ? dimension(name, labels) : -1;
        JvmGroup group = null;
        if (dim >= 0) {
            String instance = labels.get("instance");
            group = groups.computeIfAbsent(instance, k -> new JvmGroup(labels.getOrDefault("service", ""), k));
        }
        Tracked tr = new Tracked(name, labels, unit, counter, group, dim);
        bySubject.put(tr.view.subject(), tr);
        views.put(tr.view.subject(), tr.view);
        tracked.incrementAndGet();
        return tr;
    }

    /** The multivariate row position of a JVM key series, or -1. */
    static int dimension(String name, Map<String, String> labels) {
        if (labels.get("instance") == null) {
            return -1;
        }
        switch (name) {
            case "jvm.memory.area.used":
                return "heap".equals(labels.get("area")) ? 0 : -1;
            case "jvm.gc.time":
                return 1;
            case "jvm.cpu.process":
                return 2;
            case "jvm.threads.live":
                return 3;
            case "jvm.memory.allocation.rate":
                return 4;
            case "sextant.inference.latency" + P99_SUFFIX:
                return 5;
            default:
                return -1;
        }
    }

    // ---- per point -----------------------------------------------------------------------------

    private void feed(Tracked tr, long t, double x) {
        if (!Double.isFinite(x)) {
            return;
        }
        tr.lastTime = t;
        tr.minSeen = Math.min(tr.minSeen, x);
        boolean repeated = x == tr.lastValue;
        if (repeated) {
            tr.run++;
        } else {
            if (!Double.isNaN(tr.lastValue)) {
                tr.changes++;
            }
            tr.longestRun = Math.max(tr.longestRun, tr.run);
            tr.run = 0;
        }
        // a live series that stops moving (a frozen gauge, a stalled counter rate) is no surprise to a residual
        // test: its own rule
        tr.stuck = repeated && tr.changes >= STUCK_MIN_CHANGES
                && tr.run >= Math.max(STUCK_MIN_POINTS, STUCK_RUN_FACTOR * (long) tr.longestRun);
        double score = tr.detector.update(t, x);
        if (tr.stuck) {
            score = Math.max(score, STUCK_SCORE);
        }
        double low = tr.detector.expectedLow();
        double high = tr.detector.expectedHigh();
        tr.lastValue = x;
        tr.view.ring.add(t, x, low, high);
        Anomaly a = tr.tracker.update(t, score, low, high);
        if (a != null) {
            boolean peak = tr.open == null || !tr.open.id().equals(a.id()) || a.score() > tr.open.score();
            double observed = peak ? x : tr.open.observed();
            tr.open = new Signal(a.id(), Signal.Kind.METRIC_ANOMALY, a.detector(), tr.service, tr.view.subject(),
                    tr.view.labels(), a.startMillis(), a.endMillis(), a.score(), a.severity(), observed,
                    a.expectedLow(), a.expectedHigh(), true, tr.stuck
                    ? tr.view.name() + (tr.service.isEmpty() ? "" : " of " + tr.service) + " is stuck at "
                    + tr.format(x) + " for " + (tr.run + 1) + " points (its longest flat run before: "
                    + (tr.longestRun + 1) + ")."
                    : summary(tr, observed, a.expectedLow(), a.expectedHigh()));
            context.publish(tr.open);
        } else if (tr.open != null && tr.tracker.current() == null) {
            context.publish(tr.open.closed(t));
            tr.open = null;
        }
        if (tr.group != null) {
            tr.group.offer(t, tr.dim, x);
        }
        tr.forecaster.update(t, x);
        // copies are made by event time (a copy per point would be garbage at ingest rates), or when asked
        if (tr.view.wanted || tr.view.forecast == null || t - tr.forecastPublished >= FORECAST_PUBLISH_MILLIS) {
            tr.view.wanted = false;
            tr.forecastPublished = t;
            tr.view.forecast = tr.forecaster.snapshot();
        }
        predict(tr, t, x);
    }

    private String summary(Tracked tr, double observed, double low, double high) {
        String what = tr.view.name() + (tr.service.isEmpty() ? "" : " of " + tr.service);
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return what + " at " + tr.format(observed) + ", unusual for this series.";
        }
        double lo = low;
        if (tr.counter || tr.detectorNonNegative()) {
            lo = Math.max(0.0, lo);
        }
        return what + " at " + tr.format(observed) + ", expected " + tr.format(lo) + "–" + tr.format(high) + ".";
    }

    private double threshold(Tracked tr) {
        if (tr.partnerSubject == null) {
            return tr.fixedThreshold;
        }
        Tracked partner = bySubject.get(tr.partnerSubject);
        double max = partner == null ? Double.NaN : partner.lastValue;
        // a pool without a limit reports max -1
        double thr = max > 0 ? max : Double.NaN;
        if (thr != tr.view.threshold && !(Double.isNaN(thr) && Double.isNaN(tr.view.threshold))) {
            tr.view.threshold = thr;
            tr.view.thresholdName = "max";
        }
        return thr;
    }

    private void predict(Tracked tr, long t, double x) {
        double thr = threshold(tr);
        if (!Double.isFinite(thr)) {
            return;
        }
        if (x >= thr) {
            if (tr.predicted != null) {
                // reached: the prediction came true; the anomaly or incident takes over from here
                context.publish(new Signal(tr.predicted.id(), Signal.Kind.PREDICTED, tr.predicted.source(),
                        tr.service, tr.view.subject(), tr.predicted.labels(), tr.predicted.startMillis(), t,
                        tr.predicted.score(), tr.predicted.severity(), x, Double.NaN, thr, false,
                        tr.view.name() + (tr.service.isEmpty() ? "" : " of " + tr.service) + " reached its "
                                + tr.view.thresholdName + " of " + tr.format(thr) + " as predicted."));
                tr.predicted = null;
            }
            return;
        }
        HoltWintersForecaster fc = tr.forecaster;
        long interval = fc.intervalMillis();
        if (fc.count() < MIN_FORECAST_POINTS || interval <= 0) {
            return;
        }
        int maxSteps = (int) Math.max(1, Math.min(MAX_FORECAST_STEPS, options.horizonMillis() / interval));
        TimeToThreshold ttt = fc.timeToThreshold(thr, maxSteps, false);
        if (ttt.expected()) {
            tr.predictedQuiet = 0;
            boolean fresh = tr.predicted == null;
            if (!fresh && ++tr.predictedAge < PREDICTION_REFRESH_POINTS) {
                return;
            }
            tr.predictedAge = 0;
            long remaining = Math.max(0, ttt.atMillis() - t);
            double score = Math.min(1.0, Math.max(0.0, 0.5 + 0.5 * (1.0 - (double) remaining / options.horizonMillis())));
            long start = fresh ? t : tr.predicted.startMillis();
            Map<String, String> labels = new LinkedHashMap<>(tr.view.labels());
            labels.put("threshold", Double.toString(thr));
            labels.put("predicted_at", Double.toString(ttt.atMillis() / 1000.0));
            String summary = tr.view.name() + (tr.service.isEmpty() ? "" : " of " + tr.service)
                    + " is predicted to reach its " + tr.view.thresholdName + " of " + tr.format(thr) + " in "
                    + Quantities.duration(remaining) + " (now " + tr.format(x) + ").";
            tr.predicted = new Signal(tr.view.subject() + "@predicted@" + start, Signal.Kind.PREDICTED,
                    "holt-winters", tr.service, tr.view.subject(), labels, start, t, score, Severity.of(score), x,
                    Double.NaN, thr, true, summary);
            context.publish(tr.predicted);
        } else if (tr.predicted != null && ++tr.predictedQuiet >= PREDICTION_QUIET_POINTS) {
            context.publish(new Signal(tr.predicted.id(), Signal.Kind.PREDICTED, tr.predicted.source(), tr.service,
                    tr.view.subject(), tr.predicted.labels(), tr.predicted.startMillis(), t, tr.predicted.score(),
                    tr.predicted.severity(), x, Double.NaN, thr, false, tr.view.name()
                    + (tr.service.isEmpty() ? "" : " of " + tr.service) + " is no longer predicted to reach its "
                    + tr.view.thresholdName + " of " + tr.format(thr) + " within " + Quantities.duration(
                    options.horizonMillis()) + "."));
            tr.predicted = null;
        }
    }

    // ---- readers (any thread) ------------------------------------------------------------------

    /** The analysed series whose name and labels match every matcher. Any thread. */
    public List<View> select(List<Matcher> matchers) {
        List<View> out = new ArrayList<>();
        for (View v : views.values()) {
            if (v.matches(matchers)) {
                out.add(v);
            }
        }
        out.sort((a, b) -> a.subject().compareTo(b.subject()));
        return out;
    }

    /** The view of a subject, or null. Any thread. */
    public View view(String subject) {
        return views.get(subject);
    }

    /** Samples of series not analysed because {@code maxSeries} series already were (new series refused). */
    public long refusedSeries() {
        return refused.get();
    }

    /** Series analysed. */
    public long trackedSeries() {
        return tracked.get();
    }

    /** The configured forecast horizon. */
    public long horizonMillis() {
        return options.horizonMillis();
    }

    @Override
    public void close() {
        if (ownTrainer != null) {
            ownTrainer.shutdownNow();
        }
    }

    /** {@code name{label="value",...}} with labels sorted by name: the subject of a series' anomalies. */
    public static String subject(String name, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(labels).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }
}
