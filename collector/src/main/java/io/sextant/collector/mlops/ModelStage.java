package io.sextant.collector.mlops;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.api.ApiException;
import io.sextant.collector.mlops.drift.DatasetDrift;
import io.sextant.collector.mlops.drift.DriftEvaluator;
import io.sextant.collector.mlops.drift.DriftPolicy;
import io.sextant.collector.mlops.drift.DriftRecord;
import io.sextant.collector.mlops.drift.DriftTestResult;
import io.sextant.collector.mlops.drift.ReferenceKind;
import io.sextant.collector.mlops.feed.AliasChanged;
import io.sextant.collector.mlops.feed.InferenceRecord;
import io.sextant.collector.mlops.feed.LabelRecord;
import io.sextant.collector.mlops.feed.ModelEventRecord;
import io.sextant.collector.mlops.feed.ProfileRegistered;
import io.sextant.collector.mlops.monitor.FeatureProfile;
import io.sextant.collector.mlops.monitor.ModelMonitor;
import io.sextant.collector.mlops.monitor.MonitorSettings;
import io.sextant.collector.mlops.monitor.Recorder;
import io.sextant.collector.mlops.monitor.WindowSummary;
import io.sextant.collector.mlops.quality.ClassIndex;
import io.sextant.collector.mlops.quality.Label;
import io.sextant.collector.mlops.quality.LabelJoin;
import io.sextant.collector.mlops.quality.Prediction;
import io.sextant.collector.mlops.quality.QualityTracker;
import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.Cdf;
import io.sextant.collector.mlops.sketch.NumericSketch;
import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.MetricSeries;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Model operations on the analysis thread: feeds each decoded inference to the {@link ModelMonitor}
 * (latency, request and error counts, prediction and feature sketches per model version in tumbling
 * windows of event time) and to the {@link LabelJoin}, joins delayed labels to their predictions into the
 * {@link QualityTracker}, and publishes signals:
 * <ul>
 *   <li>{@code DRIFT}: a feature, the prediction or the dataset share drifted from the version's
 *       reference in a closed window (one signal per model, version and feature, extended over consecutive
 *       drifted windows, closed by the first window that does not drift);</li>
 *   <li>{@code QUALITY}: a window's accuracy (classifiers) fell more than {@value #MAX_ACCURACY_DROP} below,
 *       or its MAE (regressions) rose more than {@value #MAX_ERROR_RISE} of, the model's quality over the
 *       {@code trailingWindows} windows before it (all versions; the version's registered training accuracy
 *       when there are none), once the window has at least {@value #MIN_LABELS} labels;</li>
 *   <li>{@code CHANGE}: a model version deployed, promoted or rolled back (agent MODEL_EVENTs and alias
 *       changes made through the API).</li>
 * </ul>
 * Signal ids come from the data (model, version, feature, window start; the agent frame; the audit seq),
 * so a replay of the journal publishes the same ids. Agent model events are also handed to the
 * {@link ModelService} for the registry.
 *
 * <p>The HTTP threads read this state through {@link #ask}: the question runs on the analysis thread at
 * its next callback (at most about a second later when no data flows) and the answer is handed back.
 *
 * <p>Single writer: the analysis thread.
 */
public final class ModelStage implements AnalysisStage {

    /** Labelled predictions a window needs before its quality is judged. */
    public static final int MIN_LABELS = 30;
    /** Largest accepted drop of accuracy against the reference (absolute). */
    public static final double MAX_ACCURACY_DROP = 0.05;
    /** Largest accepted rise of MAE against the reference (relative). */
    public static final double MAX_ERROR_RISE = 0.25;
    /**
     * A version's open window is closed by time alone (rather than by its next record) once no record of
     * that version has arrived for this long, and the window ended at least this long ago. Records that
     * arrive in a steady stream, however old, close their windows themselves, so a backlog an agent
     * flushes late is never split.
     */
    static final long CLOSE_GRACE_MS = 2_000;

    private final ModelService service;
    private final MonitorSettings settings;
    private final DriftEvaluator evaluator;
    private final ModelMonitor monitor;
    private final LabelJoin join;
    private final QualityTracker quality;
    private final Map<String, ClassIndex> classIndices = new HashMap<>();
    private final Map<String, String> serviceOfModel = new HashMap<>();
    private final Map<String, Set<String>> versionsOfModel = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<PredictionWindow>> predictionWindows = new HashMap<>();
    private final Map<String, OpenSignal> driftSignals = new HashMap<>();
    private final Map<String, OpenSignal> qualitySignals = new HashMap<>();
    private final Set<String> dirtyQuality = new LinkedHashSet<>();
    private final ConcurrentLinkedQueue<Runnable> questions = new ConcurrentLinkedQueue<>();
    private final AtomicLong labelsWithoutModel = new AtomicLong();
    private final Map<String, Arrival> arrivals = new HashMap<>();
    /** The last inference's names and arrival entry (arrivals are never removed). */
    private String lastModel;
    private String lastVersion;
    private String lastService;
    private Arrival lastArrival;
    private AnalysisContext context;
    private volatile boolean live;
    private long now;
    private long lastTick;

    /** When a version's latest record arrived, in tick time. */
    private static final class Arrival {
        final String model;
        final String version;
        long tick;

        Arrival(String model, String version) {
            this.model = model;
            this.version = version;
        }
    }

    /** The prediction distribution of one closed window. */
    private record PredictionWindow(long startMs, long endMs, Map<String, Long> classes, NumericSketch numbers) {
    }

    /** A drift or quality signal that is still open. */
    private static final class OpenSignal {
        final String id;
        final long startMs;
        long endMs;
        double peakScore;
        Signal last;

        OpenSignal(String id, long startMs) {
            this.id = id;
            this.startMs = startMs;
        }
    }

    /**
     * @param windowMs      length of the monitoring and quality windows
     * @param horizonMs     how long a prediction waits for its label
     * @param joinCapacity  most predictions waiting for labels at once
     */
    public ModelStage(ModelService service, long windowMs, long horizonMs, int joinCapacity) {
        this.service = service;
        this.settings = MonitorSettings.defaults().withWindowMs(windowMs);
        this.evaluator = new DriftEvaluator(DriftPolicy.defaults());
        this.monitor = new ModelMonitor(settings, evaluator, this::windowClosed);
        this.quality = new QualityTracker(windowMs, settings.retainedSummaries(),
            model -> service == null ? 2 : service.hints(model).classes());
        this.join = new LabelJoin(horizonMs, joinCapacity, this::joined);
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public void start(AnalysisContext context) {
        this.context = context;
        if (service != null) {
            service.profileDigests().forEach((model, byVersion) -> byVersion.forEach((version, sha) ->
                service.profile(sha).ifPresent(p -> monitor.setTrainingProfile(model, version, p))));
        }
    }

    // ---- data ------------------------------------------------------------------------------------

    @Override
    public void onEvent(Object event) {
        answerQuestions();
        if (event instanceof InferenceRecord r) {
            inference(r);
        } else if (event instanceof LabelRecord l) {
            label(l);
        } else if (event instanceof ModelEventRecord e) {
            modelEvent(e);
        } else if (event instanceof AliasChanged a) {
            aliasChanged(a);
        } else if (event instanceof ProfileRegistered p) {
            if (service != null) {
                service.profile(p.sha256()).ifPresent(prof -> monitor.setTrainingProfile(p.model(), p.version(), prof));
            }
        }
    }

    @Override
    public void onSample(MetricSeries series, long timeMillis, double value) {
        answerQuestions();
    }

    @Override
    public void onHistogram(HistogramSeries series, long timeMillis, Histogram snapshot) {
        answerQuestions();
    }

    @Override
    public void onLog(LogEntry entry) {
        answerQuestions();
    }

    @Override
    public void onTick(long nowMillis) {
        now = Math.max(now, nowMillis);
        lastTick = nowMillis;
        for (Arrival a : arrivals.values()) {
            if (nowMillis - a.tick >= CLOSE_GRACE_MS) {
                monitor.advance(a.model, a.version, nowMillis - CLOSE_GRACE_MS);
            }
        }
        join.advance(nowMillis);
        judgeQuality(nowMillis);
        answerQuestions();
    }

    @Override
    public void onCaughtUp() {
        live = true;
        answerQuestions();
    }

    /** Adds one inference (a test feeds records directly; the collector through {@link #onEvent}). */
    void inference(InferenceRecord r) {
        now = Math.max(now, r.timeMillis());
        // The tailer interns names, so a run of one model's records skips the lookups by identity.
        if (r.model() != lastModel || r.version() != lastVersion || r.service() != lastService) {
            if (!r.service().isEmpty()) {
                serviceOfModel.put(r.model(), r.service());
            }
            versionsOfModel.computeIfAbsent(r.model(), k -> new TreeSet<>()).add(r.version());
            lastArrival = arrivals.computeIfAbsent(r.model() + '\0' + r.version(), k -> new Arrival(r.model(), r.version()));
            lastModel = r.model();
            lastVersion = r.version();
            lastService = r.service();
        }
        lastArrival.tick = lastTick;
        Recorder rec = monitor.record(r.model(), r.version(), r.timeMillis(), r.latencyNanos(), r.error());
        for (int i = 0; i < r.numericNames().size(); i++) {
            rec.numeric(r.numericNames().get(i), r.numericValue(i));
        }
        for (int i = 0; i < r.categoricalNames().size(); i++) {
            rec.categorical(r.categoricalNames().get(i), r.categoricalValues().get(i));
        }
        if (r.error()) {
            return;
        }
        // The join takes the prediction as primitives, those ClassIndex.prediction would put in a Prediction
        // (unknown class: Integer.MAX_VALUE), so recording one allocates nothing.
        boolean predicted = true;
        int predictedClass = -1;
        double positiveProbability = Double.NaN;
        double value = Double.NaN;
        if (r.predictedClass() != null) {
            rec.predictedClass(r.predictedClass());
            ClassIndex classes = classIndex(r.model());
            int index = classes.indexOf(r.predictedClass());
            predictedClass = index < 0 ? Integer.MAX_VALUE : index;
            positiveProbability = classes.positiveProbability(index, r.score());
        } else if (!Double.isNaN(r.predictedNumber())) {
            rec.predictedNumber(r.predictedNumber());
            value = r.predictedNumber();
        } else {
            predicted = false;
        }
        rec.score(r.score());
        if (predicted && r.predictionId() != null) {
            join.onPrediction(r.predictionId(), r.model(), r.version(), r.timeMillis(), predictedClass,
                positiveProbability, value);
        }
    }

    private ClassIndex classIndex(String model) {
        ClassIndex c = classIndices.get(model);
        if (c == null) {
            ModelService.ModelHints h = service == null ? new ModelService.ModelHints(2, null) : service.hints(model);
            c = new ClassIndex(h.classes(), h.positiveClass());
            classIndices.put(model, c);
        }
        return c;
    }

    void label(LabelRecord l) {
        now = Math.max(now, l.timeMillis());
        if (l.model().isEmpty()) {
            labelsWithoutModel.incrementAndGet();
            return;
        }
        Label label = l.labelClass() != null ? classIndex(l.model()).label(l.labelClass()) : Label.ofValue(l.labelNumber());
        join.onLabel(l.predictionId(), l.timeMillis(), label);
    }

    private void joined(String model, String version, long predictionTimeMs, long labelTimeMs, Prediction p, Label l) {
        quality.joined(model, version, predictionTimeMs, labelTimeMs, p, l);
        long start = Math.floorDiv(predictionTimeMs, settings.windowMs()) * settings.windowMs();
        dirtyQuality.add(model + '\0' + version + '\0' + start);
    }

    // ---- model events ----------------------------------------------------------------------------

    private void modelEvent(ModelEventRecord e) {
        if (service != null) {
            service.agentEvent(e, context == null || context.replaying());
        }
        if (!e.service().isEmpty()) {
            serviceOfModel.putIfAbsent(e.model(), e.service());
        }
        if ("REGISTER".equals(e.kind())) {
            return;
        }
        String alias = e.stage().isEmpty() ? "production" : e.stage();
        String previous = e.previousVersion().isEmpty() ? null : e.previousVersion();
        change("model-event:" + e.key(), e.kind().toLowerCase(Locale.ROOT), e.service(), e.model(), alias,
            previous, e.version(), e.kind().toLowerCase(Locale.ROOT), e.timeMillis());
    }

    private void aliasChanged(AliasChanged a) {
        change("model-alias:" + a.model() + "/" + a.alias() + "#" + a.auditSeq(), a.operation(),
            serviceOfModel.getOrDefault(a.model(), ""), a.model(), a.alias(), a.fromVersion(), a.toVersion(),
            a.operation(), a.timeMillis());
    }

    private void change(String id, String source, String svc, String model, String alias, String previous,
                        String version, String operation, long timeMs) {
        if (previous != null && !previous.equals(version) && monitor.trainingProfile(model, version) == null) {
            monitor.compareWithVersion(model, version, previous);
        }
        String summary = switch (operation) {
            case "promote" -> "model " + model + " rolled out " + version + " to " + alias
                + (previous == null ? "" : ", replacing " + previous);
            case "rollback" -> "model " + model + " rolled back " + alias + " to " + version
                + (previous == null ? "" : " from " + previous);
            default -> "model " + model + " deployed " + version + " to " + alias
                + (previous == null ? "" : ", replacing " + previous);
        };
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("model", model);
        labels.put("version", version);
        labels.put("alias", alias);
        labels.put("operation", operation);
        if (previous != null) {
            labels.put("previous", previous);
        }
        publish(Signal.change(id, "model-" + source, svc, model + "/" + alias, labels, timeMs, summary));
    }

    private void publish(Signal s) {
        if (context != null) {
            context.publish(s);
        }
    }

    // ---- drift -----------------------------------------------------------------------------------

    private void windowClosed(WindowSummary summary, List<DriftRecord> drift) {
        String key = summary.model() + '\0' + summary.version();
        ModelMonitor.Sketches last = monitor.lastWindow(summary.model(), summary.version());
        if (last != null) {
            CategoricalSketch classes = last.categorical().get(ModelMonitor.PREDICTION);
            NumericSketch numbers = last.numeric().get(ModelMonitor.PREDICTION);
            ArrayDeque<PredictionWindow> windows = predictionWindows.computeIfAbsent(key, k -> new ArrayDeque<>());
            windows.addLast(new PredictionWindow(summary.startMs(), summary.endMs(),
                classes == null ? Map.of() : Map.copyOf(classes.counts()), numbers));
            while (windows.size() > settings.retainedSummaries()) {
                windows.pollFirst();
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (DriftRecord r : drift) {
            String sigKey = key + '\0' + r.feature();
            seen.add(sigKey);
            OpenSignal open = driftSignals.get(sigKey);
            if (!r.drifted()) {
                if (open != null) {
                    publish(open.last.closed(summary.endMs()));
                    driftSignals.remove(sigKey);
                }
                continue;
            }
            if (open == null) {
                open = new OpenSignal("drift:" + summary.model() + "/" + summary.version() + "/" + r.feature() + "@"
                    + summary.startMs(), summary.startMs());
                driftSignals.put(sigKey, open);
            }
            open.endMs = summary.endMs();
            open.peakScore = Math.max(open.peakScore, r.score());
            boolean pValue = "ks".equals(r.statistic()) || "chisquare".equals(r.statistic());
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("model", r.model());
            labels.put("version", r.version());
            labels.put("feature", r.feature());
            labels.put("statistic", r.statistic());
            labels.put("reference", r.reference().name().toLowerCase(Locale.ROOT));
            String what = "*".equals(r.feature()) ? "the share of drifted features" : "feature " + r.feature();
            open.last = new Signal(open.id, Signal.Kind.DRIFT, "drift:" + r.statistic(),
                serviceOfModel.getOrDefault(r.model(), ""), r.model() + "/" + r.version() + "/" + r.feature(), labels,
                open.startMs, open.endMs, Math.min(1.0, Math.max(0.0, open.peakScore)),
                r.severity() == io.sextant.collector.mlops.drift.Severity.CRITICAL ? Severity.CRITICAL : Severity.WARNING,
                r.value(), pValue ? r.threshold() : 0.0, pValue ? 1.0 : r.threshold(), true,
                "model " + r.model() + " " + r.version() + ": " + what + " drifted from the "
                    + reference(r.reference()) + " (" + r.statistic() + " " + fmt(r.value()) + ", threshold "
                    + fmt(r.threshold()) + ")");
            publish(open.last);
        }
        // A feature that was not tested this window (too few inferences) ends its drift signal too.
        for (var it = driftSignals.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().startsWith(key + '\0') && !seen.contains(e.getKey())) {
                publish(e.getValue().last.closed(summary.endMs()));
                it.remove();
            }
        }
    }

    private static String reference(ReferenceKind k) {
        return switch (k) {
            case TRAINING_PROFILE -> "training profile";
            case VERSION_WINDOW -> "baseline version's recent windows";
            case TRAILING_WINDOW -> "version's trailing windows";
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    // ---- quality ---------------------------------------------------------------------------------

    private void judgeQuality(long nowMs) {
        if (dirtyQuality.isEmpty()) {
            return;
        }
        for (var it = dirtyQuality.iterator(); it.hasNext(); ) {
            String[] k = it.next().split("\0", -1);
            long start = Long.parseLong(k[2]);
            if (start + settings.windowMs() > nowMs) {
                continue; // judge a window once it has ended
            }
            it.remove();
            judgeWindow(k[0], k[1], start);
        }
    }

    private void judgeWindow(String model, String version, long start) {
        long end = start + settings.windowMs();
        Map<String, Double> m = quality.summary(model, version, start, end);
        if (m.getOrDefault("count", 0.0) < MIN_LABELS) {
            return;
        }
        boolean classifier = m.containsKey("accuracy");
        String metric = classifier ? "accuracy" : "mae";
        double value = m.getOrDefault(metric, Double.NaN);
        double reference = referenceQuality(model, version, start, metric);
        if (Double.isNaN(value) || Double.isNaN(reference)) {
            return;
        }
        boolean bad = classifier ? reference - value > MAX_ACCURACY_DROP
            : reference > 0 && (value - reference) / reference > MAX_ERROR_RISE;
        String key = model + '\0' + version;
        OpenSignal open = qualitySignals.get(key);
        if (!bad) {
            if (open != null && start >= open.endMs) {
                publish(open.last.closed(end));
                qualitySignals.remove(key);
            }
            return;
        }
        if (open == null) {
            open = new OpenSignal("quality:" + model + "/" + version + "/" + metric + "@" + start, start);
            qualitySignals.put(key, open);
        }
        open.endMs = Math.max(open.endMs, end);
        double excess = classifier ? (reference - value) / MAX_ACCURACY_DROP
            : (value - reference) / reference / MAX_ERROR_RISE;
        double score = excess / (excess + 1.0);
        open.peakScore = Math.max(open.peakScore, score);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("model", model);
        labels.put("version", version);
        labels.put("metric", metric);
        open.last = new Signal(open.id, Signal.Kind.QUALITY, "quality:" + metric, serviceOfModel.getOrDefault(model, ""),
            model + "/" + version + "/" + metric, labels, open.startMs, open.endMs, open.peakScore,
            open.peakScore >= 0.7 ? Severity.CRITICAL : Severity.WARNING, value,
            classifier ? reference - MAX_ACCURACY_DROP : 0.0,
            classifier ? 1.0 : reference * (1 + MAX_ERROR_RISE), true,
            "model " + model + " " + version + ": " + metric + " " + fmt(value) + " over " + m.get("count").longValue()
                + " labelled predictions, reference " + fmt(reference));
        publish(open.last);
    }

    /**
     * The model's count-weighted metric over the windows before {@code start} (all versions, at most
     * {@code trailingWindows} window lengths back); the version's training accuracy when there are none.
     */
    private double referenceQuality(String model, String version, long start, String metric) {
        double sum = 0;
        double count = 0;
        long from = start - settings.trailingWindows() * settings.windowMs();
        for (String v : versionsOfModel.getOrDefault(model, Set.of())) {
            Map<String, Double> m = quality.summary(model, v, from, start);
            double n = m.getOrDefault("count", 0.0);
            double x = m.getOrDefault(metric, Double.NaN);
            if (n > 0 && !Double.isNaN(x)) {
                sum += x * n;
                count += n;
            }
        }
        if (count >= MIN_LABELS) {
            return sum / count;
        }
        return Double.NaN;
    }

    // ---- questions from HTTP threads -------------------------------------------------------------

    /**
     * Runs {@code question} on the analysis thread and returns its answer (waits 10 s at most).
     *
     * @throws ApiException 503 while the journal is being replayed or when the analysis does not answer
     */
    public <T> T ask(Function<ModelStage, T> question) {
        if (!live) {
            throw new ApiException(503, "unavailable", "the model analysis is replaying the journal; retry shortly");
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        questions.add(() -> {
            try {
                answer.complete(question.apply(this));
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted");
        } catch (TimeoutException e) {
            throw new ApiException(503, "unavailable", "the model analysis did not answer within 10 s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** True once the replay is done. */
    public boolean live() {
        return live;
    }

    private void answerQuestions() {
        Runnable q;
        while ((q = questions.poll()) != null) {
            q.run();
        }
    }

    // ---- answers (analysis thread, inside ask) ------------------------------------------------------

    /** Models and the versions seen in traffic. */
    public Map<String, Set<String>> versionsSeen() {
        Map<String, Set<String>> out = new TreeMap<>();
        versionsOfModel.forEach((m, v) -> out.put(m, Set.copyOf(v)));
        return out;
    }

    public ModelMonitor monitor() {
        return monitor;
    }

    public QualityTracker quality() {
        return quality;
    }

    public LabelJoin join() {
        return join;
    }

    public long windowMs() {
        return settings.windowMs();
    }

    /** Event time of the analysis (the newest record or tick). */
    public long now() {
        return now;
    }

    /** Labels dropped because they named no model. */
    public long labelsWithoutModel() {
        return labelsWithoutModel.get();
    }

    /** The closed-window summaries of a version whose windows start in [from, to). */
    public List<WindowSummary> windows(String model, String version, long fromMs, long toMs) {
        List<WindowSummary> out = new ArrayList<>();
        for (WindowSummary w : monitor.summaries(model, version)) {
            if (w.startMs() >= fromMs && w.startMs() < toMs) {
                out.add(w);
            }
        }
        return out;
    }

    /** The prediction distribution of a version over the closed windows that start in [from, to). */
    public Map<String, Object> predictions(String model, String version, long fromMs, long toMs) {
        Map<String, Long> classes = new TreeMap<>();
        NumericSketch numbers = null;
        for (PredictionWindow w : predictionWindows.getOrDefault(model + '\0' + version, new ArrayDeque<>())) {
            if (w.startMs() < fromMs || w.startMs() >= toMs) {
                continue;
            }
            w.classes().forEach((c, n) -> classes.merge(c, n, Long::sum));
            if (w.numbers() != null) {
                if (numbers == null) {
                    numbers = w.numbers().emptyCopy();
                }
                numbers.merge(w.numbers());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (numbers != null && numbers.count() > 0) {
            out.put("kind", "number");
            out.put("count", numbers.count());
            out.put("mean", numbers.mean());
            out.put("min", numbers.min());
            out.put("max", numbers.max());
            out.put("histogram", histogram(numbers.cdf(), null, 20));
        } else {
            out.put("kind", "class");
            out.put("count", classes.values().stream().mapToLong(Long::longValue).sum());
            out.put("counts", classes);
        }
        return out;
    }

    /**
     * The drift report of a version's last closed window (the open window when none has closed) against a
     * reference: {@code training}, {@code version:V} (V's kept windows), {@code trailing} (the version's
     * own windows before the last one), or null for the monitor's own choice.
     */
    public Map<String, Object> drift(String model, String version, String reference) {
        ModelMonitor.Sketches current = monitor.lastWindow(model, version);
        if (current == null) {
            throw ApiException.notFound("model " + model + " version " + version + " has no closed window yet "
                + "(windows are " + settings.windowMs() / 1000.0 + " s)");
        }
        String ref = reference;
        if (ref == null || ref.isBlank()) {
            String other = monitor.referenceVersion(model, version);
            ref = monitor.trainingProfile(model, version) != null ? "training"
                : other != null ? "version:" + other : "trailing";
        }
        Map<String, NumericSketch> refNum;
        Map<String, CategoricalSketch> refCat;
        ReferenceKind kind;
        Map<String, Object> window = new LinkedHashMap<>();
        if (ref.equals("training")) {
            FeatureProfile p = monitor.trainingProfile(model, version);
            if (p == null) {
                throw ApiException.notFound("no training profile is registered for model " + model + " version "
                    + version);
            }
            refNum = p.numeric();
            refCat = p.categorical();
            kind = ReferenceKind.TRAINING_PROFILE;
        } else if (ref.startsWith("version:")) {
            String other = ref.substring("version:".length());
            ModelMonitor.Sketches s = monitor.trailing(model, other, other.equals(version));
            if (s == null) {
                throw ApiException.notFound("model " + model + " version " + other + " has no closed windows to "
                    + "compare with");
            }
            refNum = s.numeric();
            refCat = s.categorical();
            kind = ReferenceKind.VERSION_WINDOW;
            window.put("start", s.startMs() / 1000.0);
            window.put("end", s.endMs() / 1000.0);
        } else if (ref.equals("trailing")) {
            ModelMonitor.Sketches s = monitor.trailing(model, version, true);
            if (s == null) {
                throw ApiException.notFound("model " + model + " version " + version + " has no windows before "
                    + "its last one");
            }
            refNum = s.numeric();
            refCat = s.categorical();
            kind = ReferenceKind.TRAILING_WINDOW;
            window.put("start", s.startMs() / 1000.0);
            window.put("end", s.endMs() / 1000.0);
        } else {
            throw new io.sextant.collector.api.BadParameterException("reference",
                "'" + ref + "' is not training, trailing or version:V");
        }
        Map<String, NumericSketch> inNum = new HashMap<>();
        Map<String, CategoricalSketch> inCat = new HashMap<>();
        current.numeric().forEach((f, s) -> {
            if (!isPrediction(f)) {
                inNum.put(f, s);
            }
        });
        current.categorical().forEach((f, s) -> {
            if (!isPrediction(f)) {
                inCat.put(f, s);
            }
        });
        Map<String, NumericSketch> refInNum = new HashMap<>();
        Map<String, CategoricalSketch> refInCat = new HashMap<>();
        refNum.forEach((f, s) -> {
            if (!isPrediction(f)) {
                refInNum.put(f, s);
            }
        });
        refCat.forEach((f, s) -> {
            if (!isPrediction(f)) {
                refInCat.put(f, s);
            }
        });
        DatasetDrift dataset = evaluator.evaluate(refInNum, inNum, refInCat, inCat);
        List<Map<String, Object>> features = new ArrayList<>();
        for (DriftTestResult r : dataset.features()) {
            features.add(featureReport(r, refNum.get(r.feature()), current.numeric().get(r.feature()),
                refCat.get(r.feature()), current.categorical().get(r.feature())));
        }
        for (String p : new String[] {ModelMonitor.PREDICTION, ModelMonitor.SCORE}) {
            NumericSketch rn = refNum.get(p);
            NumericSketch cn = current.numeric().get(p);
            CategoricalSketch rc = refCat.get(p);
            CategoricalSketch cc = current.categorical().get(p);
            if (rn != null && cn != null && rn.count() > 0 && cn.count() > 0) {
                features.add(featureReport(evaluator.numeric(p, rn, cn), rn, cn, null, null));
            } else if (rc != null && cc != null && rc.total() > 0 && cc.total() > 0) {
                features.add(featureReport(evaluator.categorical(p, rc, cc), null, null, rc, cc));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("version", version);
        out.put("reference", ref);
        out.put("referenceKind", kind.name().toLowerCase(Locale.ROOT));
        out.put("referenceWindow", window.isEmpty() ? null : window);
        out.put("window", Map.of("start", current.startMs() / 1000.0, "end", current.endMs() / 1000.0));
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("share", dataset.share());
        ds.put("threshold", dataset.shareThreshold());
        ds.put("drifted", dataset.drifted());
        ds.put("driftedFeatures", dataset.driftedFeatures());
        out.put("datasetDrift", ds);
        out.put("features", features);
        return out;
    }

    private static boolean isPrediction(String f) {
        return ModelMonitor.PREDICTION.equals(f) || ModelMonitor.SCORE.equals(f);
    }

    private static Map<String, Object> featureReport(DriftTestResult r, NumericSketch refNum, NumericSketch curNum,
                                                     CategoricalSketch refCat, CategoricalSketch curCat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", r.feature());
        m.put("statistic", r.method().id());
        m.put("value", finite(r.value()));
        m.put("testStatistic", finite(r.statistic()));
        m.put("threshold", r.threshold());
        m.put("drifted", r.drifted());
        m.put("score", finite(r.score()));
        m.put("referenceCount", r.referenceCount());
        m.put("currentCount", r.currentCount());
        if (refNum != null && curNum != null) {
            Cdf rc = refNum.cdf();
            Map<String, Object> h = histogram(rc, curNum.cdf(), 20);
            m.put("histogram", h);
        } else if (refCat != null && curCat != null) {
            Map<String, Long> rc = refCat.counts();
            Map<String, Long> cc = curCat.counts();
            TreeSet<String> categories = new TreeSet<>(rc.keySet());
            categories.addAll(cc.keySet());
            List<Double> rp = new ArrayList<>();
            List<Double> cp = new ArrayList<>();
            long rt = Math.max(1, refCat.total());
            long ct = Math.max(1, curCat.total());
            for (String c : categories) {
                rp.add(rc.getOrDefault(c, 0L) / (double) rt);
                cp.add(cc.getOrDefault(c, 0L) / (double) ct);
            }
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("categories", List.copyOf(categories));
            h.put("reference", rp);
            h.put("current", cp);
            m.put("histogram", h);
        }
        return m;
    }

    /**
     * Equal-width bins over the union of both ranges: {@code edges} (bins + 1) and the share of each
     * distribution in each bin ({@code current} left out when {@code current} is null, {@code counts}
     * then holds the reference's counts).
     */
    private static Map<String, Object> histogram(Cdf reference, Cdf current, int bins) {
        double lo = current == null ? reference.min() : Math.min(reference.min(), current.min());
        double hi = current == null ? reference.max() : Math.max(reference.max(), current.max());
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        List<Double> edges = new ArrayList<>();
        for (int i = 0; i <= bins; i++) {
            edges.add(lo + (hi - lo) * i / bins);
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("edges", edges);
        h.put(current == null ? "shares" : "reference", shares(reference, edges));
        if (current != null) {
            h.put("current", shares(current, edges));
        }
        return h;
    }

    private static List<Double> shares(Cdf cdf, List<Double> edges) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i + 1 < edges.size(); i++) {
            double below = i == 0 ? 0.0 : cdf.at(edges.get(i));
            double upTo = i + 2 == edges.size() ? 1.0 : cdf.at(edges.get(i + 1));
            out.add(Math.max(0.0, upTo - below));
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
