package io.sextant.collector.mlops.quality;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Quality metrics per model version in tumbling windows of prediction time, fed by a {@link LabelJoin}.
 *
 * <p>A joined pair counts in the window of its prediction's timestamp (the quality of what the model said
 * then, whenever the label came). Each version keeps its last {@code retainedWindows} windows; older ones
 * are dropped. The number of classes of each model comes from {@code classesOfModel} (a registry lookup
 * when wired; 2 by default).
 *
 * <p>Single writer: the same thread as the join.
 */
public final class QualityTracker implements JoinSink {

    /** One window of one version. */
    public static final class Window {
        final long startMs;
        final long endMs;
        ClassificationMetrics classification;
        final RegressionMetrics regression = new RegressionMetrics();

        Window(long startMs, long endMs) {
            this.startMs = startMs;
            this.endMs = endMs;
        }

        public long startMs() {
            return startMs;
        }

        public long endMs() {
            return endMs;
        }
    }

    private final long windowMs;
    private final int retainedWindows;
    private final ToIntFunction<String> classesOfModel;
    private final Map<String, Deque<Window>> series = new HashMap<>();
    private long droppedTooOld;

    public QualityTracker(long windowMs, int retainedWindows, ToIntFunction<String> classesOfModel) {
        if (windowMs <= 0 || retainedWindows < 1) {
            throw new IllegalArgumentException("window length and retained windows must be positive");
        }
        this.windowMs = windowMs;
        this.retainedWindows = retainedWindows;
        this.classesOfModel = classesOfModel;
    }

    private static String key(String model, String version) {
        return model + '\u0000' + version;
    }

    @Override
    public void joined(String model, String version, long predictionTimeMs, long labelTimeMs, Prediction prediction,
                       Label label) {
        Deque<Window> windows = series.computeIfAbsent(key(model, version), k -> new ArrayDeque<>());
        long start = Math.floorDiv(predictionTimeMs, windowMs) * windowMs;
        Window w = find(windows, start);
        if (w == null) {
            if (!windows.isEmpty() && start < windows.peekFirst().startMs && windows.size() == retainedWindows) {
                droppedTooOld++; // older than everything retained
                return;
            }
            w = new Window(start, start + windowMs);
            insert(windows, w);
            while (windows.size() > retainedWindows) {
                windows.pollFirst();
            }
        }
        if (prediction.isClassification()) {
            if (w.classification == null) {
                w.classification = new ClassificationMetrics(Math.max(2, classesOfModel.applyAsInt(model)));
            }
            w.classification.add(prediction, label);
        } else {
            w.regression.add(prediction, label);
        }
    }

    private static Window find(Deque<Window> windows, long start) {
        for (var it = windows.descendingIterator(); it.hasNext(); ) {
            Window w = it.next();
            if (w.startMs == start) {
                return w;
            }
            if (w.startMs < start) {
                return null;
            }
        }
        return null;
    }

    private static void insert(Deque<Window> windows, Window w) {
        if (windows.isEmpty() || windows.peekLast().startMs < w.startMs) {
            windows.addLast(w);
            return;
        }
        List<Window> all = new ArrayList<>(windows);
        all.add(w);
        all.sort((a, b) -> Long.compare(a.startMs, b.startMs));
        windows.clear();
        windows.addAll(all);
    }

    /**
     * Metrics of one version over the windows that start in [fromMs, toMs), merged: the classification map
     * ({@link ClassificationMetrics#toMap()}) if the model is a classifier, else the regression map. Empty if
     * nothing was joined in that range.
     */
    public Map<String, Double> summary(String model, String version, long fromMs, long toMs) {
        Deque<Window> windows = series.get(key(model, version));
        if (windows == null) {
            return Map.of();
        }
        ClassificationMetrics c = null;
        RegressionMetrics r = new RegressionMetrics();
        for (Window w : windows) {
            if (w.startMs < fromMs || w.startMs >= toMs) {
                continue;
            }
            if (w.classification != null) {
                if (c == null) {
                    c = new ClassificationMetrics(w.classification.classes());
                }
                c.merge(w.classification);
            }
            r.merge(w.regression);
        }
        if (c != null && c.count() > 0) {
            return c.toMap();
        }
        return r.count() > 0 ? r.toMap() : Map.of();
    }

    /** Joined pairs dropped because their prediction's window is older than every retained window. */
    public long droppedTooOld() {
        return droppedTooOld;
    }

    /** Start times of the retained windows of a version, oldest first. */
    public List<Long> windowStarts(String model, String version) {
        List<Long> out = new ArrayList<>();
        for (Window w : series.getOrDefault(key(model, version), new ArrayDeque<>())) {
            out.add(w.startMs);
        }
        return out;
    }
}
