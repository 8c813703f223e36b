package io.sextant.collector.mlops.monitor;

import io.sextant.collector.mlops.drift.DatasetDrift;
import io.sextant.collector.mlops.drift.DriftEvaluator;
import io.sextant.collector.mlops.drift.DriftRecord;
import io.sextant.collector.mlops.drift.DriftTestResult;
import io.sextant.collector.mlops.drift.ReferenceKind;
import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Inference windows and drift per model version.
 *
 * <p>Each version has one open window of event time, {@code [floor(t / windowMs) * windowMs, + windowMs)}.
 * An inference at or after the window's end closes it; {@link #advance(long)} closes windows when traffic
 * stops. A record older than the open window is counted in {@link #lateRecords()} and added to the open
 * window. On close the monitor computes the latency quantiles, tests drift of the input features (dataset
 * share) and of the prediction and score against the version's reference, hands a {@link WindowSummary}
 * and the {@link DriftRecord}s to the listener, and keeps the window's sketches in a ring of the last
 * {@code trailingWindows} windows.
 *
 * <p>Reference, in order of preference: the version's training profile ({@link #setTrainingProfile}); the
 * last closed windows of a chosen version ({@link #compareWithVersion}, e.g. production for a canary);
 * the version's own trailing windows once it has {@code trailingWindows} of them. Windows with fewer
 * than {@code minWindowCount} inferences are not tested.
 *
 * <p>Bounded: at most {@code maxVersions} versions and {@code maxFeaturesPerVersion} features each;
 * beyond that records and features are dropped and counted. Single writer: the inference tailer; the
 * listener runs on that thread.
 */
public final class ModelMonitor {

    /** Feature name under which the prediction is sketched and tested. */
    public static final String PREDICTION = "prediction";
    /** Feature name under which the prediction score is sketched and tested. */
    public static final String SCORE = "prediction_score";

    /** Receives each closed window. */
    @FunctionalInterface
    public interface Listener {
        void windowClosed(WindowSummary summary, List<DriftRecord> drift);
    }

    private static final long NO_WINDOW = Long.MIN_VALUE;
    private static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    private final MonitorSettings settings;
    private final DriftEvaluator evaluator;
    private final Listener listener;
    private final Map<String, Map<String, VersionState>> models = new HashMap<>();
    private final Map<String, Map<String, FeatureProfile>> profiles = new HashMap<>();
    private final Map<String, Map<String, String>> referenceVersions = new HashMap<>();
    private final Recorder dropped = new DroppedRecorder();
    private int versions;
    private long droppedRecords;
    private long droppedFeatures;
    private long lateRecords;
    private long windowsClosed;

    public ModelMonitor(MonitorSettings settings, DriftEvaluator evaluator, Listener listener) {
        this.settings = settings;
        this.evaluator = evaluator;
        this.listener = listener;
    }

    /** Registers the training-data profile of a version: its drift reference from now on. */
    public void setTrainingProfile(String model, String version, FeatureProfile profile) {
        profiles.computeIfAbsent(model, k -> new HashMap<>()).put(version, profile);
    }

    /** Compares {@code version} with the last closed windows of {@code referenceVersion} (when it has no profile). */
    public void compareWithVersion(String model, String version, String referenceVersion) {
        referenceVersions.computeIfAbsent(model, k -> new HashMap<>()).put(version, referenceVersion);
    }

    /** Starts one inference record; add its features and prediction through the returned recorder. */
    public Recorder record(String model, String version, long timeMs, long latencyNanos, boolean error) {
        VersionState v = state(model, version);
        if (v == null) {
            droppedRecords++;
            return dropped;
        }
        if (v.windowStart == NO_WINDOW) {
            v.open(timeMs);
        } else if (timeMs - v.windowEnd >= 0) {
            close(v);
            v.open(timeMs);
        } else if (timeMs < v.windowStart) {
            lateRecords++;
        }
        v.requests++;
        if (error) {
            v.errors++;
        }
        long micros = Math.max(1, Math.min(MAX_LATENCY_MICROS, latencyNanos / 1000));
        v.latency.recordValue(micros);
        return v;
    }

    /** Closes every open window that ends at or before {@code timeMs}. */
    public void advance(long timeMs) {
        for (Map<String, VersionState> byVersion : models.values()) {
            for (VersionState v : byVersion.values()) {
                if (v.windowStart != NO_WINDOW && timeMs - v.windowEnd >= 0) {
                    close(v);
                    v.windowStart = NO_WINDOW;
                    v.windowEnd = NO_WINDOW;
                }
            }
        }
    }

    /**
     * Copies of a version's sketches over one closed window or a merge of closed windows, for reports
     * (the drift endpoint) that pick their own reference.
     *
     * @param startMs first window start (inclusive)
     * @param endMs   last window end (exclusive)
     */
    public record Sketches(long startMs, long endMs, Map<String, NumericSketch> numeric,
                           Map<String, CategoricalSketch> categorical) {
    }

    /** The last closed window of a version, as copies; null when none has closed. */
    public Sketches lastWindow(String model, String version) {
        VersionState v = models.getOrDefault(model, Map.of()).get(version);
        if (v == null || v.filled == 0) {
            return null;
        }
        int n = settings.trailingWindows();
        return v.merged(new int[] {(v.next - 1 + n) % n}, v.lastStart, v.lastEnd);
    }

    /**
     * The merge of a version's kept closed windows (its trailing reference); with {@code excludeLast} the
     * last closed window is left out (what that window is compared with). Null when nothing is left.
     */
    public Sketches trailing(String model, String version, boolean excludeLast) {
        VersionState v = models.getOrDefault(model, Map.of()).get(version);
        int n = settings.trailingWindows();
        if (v == null) {
            return null;
        }
        int count = excludeLast ? v.filled - 1 : v.filled;
        if (count <= 0) {
            return null;
        }
        int[] slots = new int[count];
        int last = (v.next - 1 + n) % n;
        for (int i = 0; i < count; i++) {
            slots[i] = ((excludeLast ? last - 1 : last) - i + 2 * n) % n;
        }
        long span = settings.windowMs() * v.filled;
        return v.merged(slots, v.lastEnd - span, excludeLast ? v.lastStart : v.lastEnd);
    }

    /** The training profile registered for a version, or null. */
    public FeatureProfile trainingProfile(String model, String version) {
        return profiles.getOrDefault(model, Map.of()).get(version);
    }

    /** The version whose windows {@code version} is compared with (see {@link #compareWithVersion}), or null. */
    public String referenceVersion(String model, String version) {
        return referenceVersions.getOrDefault(model, Map.of()).get(version);
    }

    /** Closes the open window of one version if it ends at or before {@code timeMs}. */
    public void advance(String model, String version, long timeMs) {
        VersionState v = models.getOrDefault(model, Map.of()).get(version);
        if (v != null && v.windowStart != NO_WINDOW && timeMs - v.windowEnd >= 0) {
            close(v);
            v.windowStart = NO_WINDOW;
            v.windowEnd = NO_WINDOW;
        }
    }

    /** Closed-window summaries of a version, oldest first. */
    public List<WindowSummary> summaries(String model, String version) {
        VersionState v = models.getOrDefault(model, Map.of()).get(version);
        return v == null ? List.of() : List.copyOf(v.summaries);
    }

    /** Inference records dropped because {@code maxVersions} versions were already tracked. */
    public long droppedRecords() {
        return droppedRecords;
    }

    /** Feature values dropped because their version already had {@code maxFeaturesPerVersion} input features. */
    public long droppedFeatures() {
        return droppedFeatures;
    }

    public long lateRecords() {
        return lateRecords;
    }

    public long windowsClosed() {
        return windowsClosed;
    }

    private VersionState state(String model, String version) {
        Map<String, VersionState> byVersion = models.get(model);
        if (byVersion != null) {
            VersionState v = byVersion.get(version);
            if (v != null) {
                return v;
            }
        }
        if (versions == settings.maxVersions()) {
            return null;
        }
        if (byVersion == null) {
            byVersion = new HashMap<>();
            models.put(model, byVersion);
        }
        VersionState v = new VersionState(model, version);
        byVersion.put(version, v);
        versions++;
        return v;
    }

    private void close(VersionState v) {
        windowsClosed++;
        List<DriftRecord> records = new ArrayList<>();
        ReferenceKind kind = null;
        DatasetDrift drift = null;
        boolean predictionDrift = false;
        if (v.requests >= settings.minWindowCount()) {
            Reference ref = reference(v);
            if (ref != null) {
                kind = ref.kind;
                Map<String, NumericSketch> curNum = new HashMap<>();
                Map<String, CategoricalSketch> curCat = new HashMap<>();
                Map<String, NumericSketch> refNum = new HashMap<>();
                Map<String, CategoricalSketch> refCat = new HashMap<>();
                for (Map.Entry<String, NumericFeature> e : v.numeric.entrySet()) {
                    if (!isPrediction(e.getKey())) {
                        curNum.put(e.getKey(), e.getValue().current);
                    }
                }
                for (Map.Entry<String, CategoricalFeature> e : v.categorical.entrySet()) {
                    if (!isPrediction(e.getKey())) {
                        curCat.put(e.getKey(), e.getValue().current);
                    }
                }
                ref.numeric.forEach((k, s) -> {
                    if (!isPrediction(k)) {
                        refNum.put(k, s);
                    }
                });
                ref.categorical.forEach((k, s) -> {
                    if (!isPrediction(k)) {
                        refCat.put(k, s);
                    }
                });
                drift = evaluator.evaluate(refNum, curNum, refCat, curCat);
                records.addAll(drift.toRecords(v.model, v.version, kind, v.windowStart, v.windowEnd));
                for (String name : new String[] {PREDICTION, SCORE}) {
                    DriftTestResult r = null;
                    NumericFeature nf = v.numeric.get(name);
                    CategoricalFeature cf = v.categorical.get(name);
                    if (nf != null && nf.current.count() > 0 && ref.numeric.containsKey(name)
                        && ref.numeric.get(name).count() > 0) {
                        r = evaluator.numeric(name, ref.numeric.get(name), nf.current);
                    } else if (cf != null && cf.current.total() > 0 && ref.categorical.containsKey(name)
                        && ref.categorical.get(name).total() > 0) {
                        r = evaluator.categorical(name, ref.categorical.get(name), cf.current);
                    }
                    if (r != null) {
                        records.add(DatasetDrift.record(r, v.model, v.version, kind, v.windowStart, v.windowEnd));
                        predictionDrift |= PREDICTION.equals(name) && r.drifted();
                    }
                }
            }
        }
        List<String> drifted = new ArrayList<>();
        if (drift != null) {
            for (DriftTestResult r : drift.features()) {
                if (r.drifted()) {
                    drifted.add(r.feature());
                }
            }
        }
        boolean any = v.requests > 0;
        Histogram h = v.latency;
        WindowSummary summary = new WindowSummary(v.model, v.version, v.windowStart, v.windowEnd, v.requests, v.errors,
            any ? h.getValueAtPercentile(50) / 1000.0 : Double.NaN,
            any ? h.getValueAtPercentile(90) / 1000.0 : Double.NaN,
            any ? h.getValueAtPercentile(99) / 1000.0 : Double.NaN,
            any ? h.getValueAtPercentile(99.9) / 1000.0 : Double.NaN,
            any ? h.getMaxValue() / 1000.0 : Double.NaN,
            kind, drift == null ? Double.NaN : drift.share(), drift != null && drift.drifted(), List.copyOf(drifted),
            predictionDrift);
        v.summaries.addLast(summary);
        while (v.summaries.size() > settings.retainedSummaries()) {
            v.summaries.pollFirst();
        }
        v.lastStart = v.windowStart;
        v.lastEnd = v.windowEnd;
        v.rollWindow();
        listener.windowClosed(summary, List.copyOf(records));
    }

    private static boolean isPrediction(String name) {
        return PREDICTION.equals(name) || SCORE.equals(name);
    }

    /** Reference sketches for one close. */
    private static final class Reference {
        final ReferenceKind kind;
        final Map<String, NumericSketch> numeric;
        final Map<String, CategoricalSketch> categorical;

        Reference(ReferenceKind kind, Map<String, NumericSketch> numeric, Map<String, CategoricalSketch> categorical) {
            this.kind = kind;
            this.numeric = numeric;
            this.categorical = categorical;
        }
    }

    private Reference reference(VersionState v) {
        FeatureProfile profile = profiles.getOrDefault(v.model, Map.of()).get(v.version);
        if (profile != null) {
            return new Reference(ReferenceKind.TRAINING_PROFILE, profile.numeric(), profile.categorical());
        }
        String other = referenceVersions.getOrDefault(v.model, Map.of()).get(v.version);
        if (other != null) {
            VersionState o = models.getOrDefault(v.model, Map.of()).get(other);
            if (o != null && o.filled > 0) {
                return o.trailing(ReferenceKind.VERSION_WINDOW);
            }
            return null;
        }
        if (v.filled == settings.trailingWindows()) {
            return v.trailing(ReferenceKind.TRAILING_WINDOW);
        }
        return null;
    }

    /** One numeric feature of one version: the open window's sketch and the ring of closed ones. */
    private final class NumericFeature {
        final NumericSketch current;
        final NumericSketch[] ring = new NumericSketch[settings.trailingWindows()];

        NumericFeature(NumericSketch current) {
            this.current = current;
        }
    }

    /** One categorical feature of one version. */
    private final class CategoricalFeature {
        final CategoricalSketch current;
        final CategoricalSketch[] ring = new CategoricalSketch[settings.trailingWindows()];

        CategoricalFeature(CategoricalSketch current) {
            this.current = current;
        }
    }

    /** The state of one model version; also its {@link Recorder}. */
    private final class VersionState implements Recorder {
        final String model;
        final String version;
        final Histogram latency = new Histogram(MAX_LATENCY_MICROS, 2);
        final Map<String, NumericFeature> numeric = new HashMap<>();
        final Map<String, CategoricalFeature> categorical = new HashMap<>();
        final ArrayDeque<WindowSummary> summaries = new ArrayDeque<>();
        long windowStart = NO_WINDOW;
        long windowEnd = NO_WINDOW;
        long lastStart = NO_WINDOW;
        long lastEnd = NO_WINDOW;
        long requests;
        long errors;
        int next;
        int filled;
        int inputFeatures;

        VersionState(String model, String version) {
            this.model = model;
            this.version = version;
        }

        void open(long timeMs) {
            windowStart = Math.floorDiv(timeMs, settings.windowMs()) * settings.windowMs();
            windowEnd = windowStart + settings.windowMs();
        }

        private boolean roomForFeature(String feature) {
            if (isPrediction(feature)) {
                return true;
            }
            if (inputFeatures >= settings.maxFeaturesPerVersion()) {
                droppedFeatures++;
                return false;
            }
            inputFeatures++;
            return true;
        }

        @Override
        public Recorder numeric(String feature, double value) {
            NumericFeature f = numeric.get(feature);
            if (f == null) {
                if (!roomForFeature(feature)) {
                    return this;
                }
                FeatureProfile p = profiles.getOrDefault(model, Map.of()).get(version);
                NumericSketch template = p == null ? null : p.numeric().get(feature);
                f = new NumericFeature(template != null && template.binning() != null
                    ? new NumericSketch(settings.exactCapacity(), template.binning())
                    : new NumericSketch(settings.exactCapacity(), settings.bins()));
                numeric.put(feature, f);
            }
            f.current.update(value);
            return this;
        }

        @Override
        public Recorder categorical(String feature, String value) {
            CategoricalFeature f = categorical.get(feature);
            if (f == null) {
                if (!roomForFeature(feature)) {
                    return this;
                }
                FeatureProfile p = profiles.getOrDefault(model, Map.of()).get(version);
                CategoricalSketch template = p == null ? null : p.categorical().get(feature);
                f = new CategoricalFeature(template != null ? template.emptyCopy()
                    : new CategoricalSketch(settings.categoryCapacity()));
                categorical.put(feature, f);
            }
            f.current.update(value);
            return this;
        }

        @Override
        public Recorder predictedClass(String label) {
            return categorical(PREDICTION, label);
        }

        @Override
        public Recorder predictedNumber(double value) {
            return numeric(PREDICTION, value);
        }

        @Override
        public Recorder score(double score) {
            return Double.isNaN(score) ? this : numeric(SCORE, score);
        }

        /** Moves the open window's sketches into the ring and clears the counters. */
        void rollWindow() {
            for (NumericFeature f : numeric.values()) {
                if (f.ring[next] == null) {
                    f.ring[next] = f.current.emptyCopy();
                }
                f.ring[next].reset();
                f.ring[next].merge(f.current);
                f.current.reset();
            }
            for (CategoricalFeature f : categorical.values()) {
                if (f.ring[next] == null) {
                    f.ring[next] = f.current.emptyCopy();
                }
                f.ring[next].reset();
                f.ring[next].merge(f.current);
                f.current.reset();
            }
            next = (next + 1) % settings.trailingWindows();
            filled = Math.min(filled + 1, settings.trailingWindows());
            requests = 0;
            errors = 0;
            latency.reset();
        }

        /** Copies of the ring's windows at {@code slots}, merged per feature. */
        Sketches merged(int[] slots, long startMs, long endMs) {
            Map<String, NumericSketch> num = new HashMap<>();
            for (Map.Entry<String, NumericFeature> e : numeric.entrySet()) {
                NumericSketch merged = null;
                for (int slot : slots) {
                    NumericSketch s = e.getValue().ring[slot];
                    if (s != null) {
                        if (merged == null) {
                            merged = s.emptyCopy();
                        }
                        merged.merge(s);
                    }
                }
                if (merged != null && merged.count() > 0) {
                    num.put(e.getKey(), merged);
                }
            }
            Map<String, CategoricalSketch> cat = new HashMap<>();
            for (Map.Entry<String, CategoricalFeature> e : categorical.entrySet()) {
                CategoricalSketch merged = null;
                for (int slot : slots) {
                    CategoricalSketch s = e.getValue().ring[slot];
                    if (s != null) {
                        if (merged == null) {
                            merged = s.emptyCopy();
                        }
                        merged.merge(s);
                    }
                }
                if (merged != null && merged.total() > 0) {
                    cat.put(e.getKey(), merged);
                }
            }
            return new Sketches(startMs, endMs, Map.copyOf(num), Map.copyOf(cat));
        }

        /** The merge of the ring's windows, per feature. */
        Reference trailing(ReferenceKind kind) {
            Map<String, NumericSketch> num = new HashMap<>();
            for (Map.Entry<String, NumericFeature> e : numeric.entrySet()) {
                NumericSketch merged = null;
                for (NumericSketch s : e.getValue().ring) {
                    if (s != null) {
                        if (merged == null) {
                            merged = s.emptyCopy();
                        }
                        merged.merge(s);
                    }
                }
                if (merged != null) {
                    num.put(e.getKey(), merged);
                }
            }
            Map<String, CategoricalSketch> cat = new HashMap<>();
            for (Map.Entry<String, CategoricalFeature> e : categorical.entrySet()) {
                CategoricalSketch merged = null;
                for (CategoricalSketch s : e.getValue().ring) {
                    if (s != null) {
                        if (merged == null) {
                            merged = s.emptyCopy();
                        }
                        merged.merge(s);
                    }
                }
                if (merged != null) {
                    cat.put(e.getKey(), merged);
                }
            }
            return new Reference(kind, num, cat);
        }
    }

    /** Swallows the parts of a record whose version could not be tracked. */
    private static final class DroppedRecorder implements Recorder {
        @Override
        public Recorder numeric(String feature, double value) {
            return this;
        }

        @Override
        public Recorder categorical(String feature, String value) {
            return this;
        }

        @Override
        public Recorder predictedClass(String label) {
            return this;
        }

        @Override
        public Recorder predictedNumber(double value) {
            return this;
        }

        @Override
        public Recorder score(double score) {
            return this;
        }
    }
}
