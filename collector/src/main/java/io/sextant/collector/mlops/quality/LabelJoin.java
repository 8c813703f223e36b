package io.sextant.collector.mlops.quality;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Joins labels to predictions by prediction id, with any delay up to a horizon, in bounded memory.
 *
 * <p>Pending predictions wait in insertion order. Time is event time: every event moves a watermark to the
 * largest timestamp seen, and pending predictions older than {@code watermark - horizon} are dropped
 * (counted in {@link #expired()}). When {@code capacity} predictions are pending, the oldest one is
 * dropped to make room (counted in {@link #evictedForCapacity()}): under overload the join loses the
 * predictions least likely to still get a label. A prediction that arrives out of order waits behind newer
 * ones and may outlive its horizon until they go. A label whose prediction is unknown, already joined,
 * expired or evicted is counted in {@link #unmatchedLabels()}; a label later than the horizon after its
 * prediction is counted in {@link #lateLabels()} and not joined.
 *
 * <p>Memory: one map entry per pending prediction (id, model, version, timestamp, prediction), at most
 * {@code capacity}; roughly 200 bytes each with a 36-character id (an estimate, not a measurement), so
 * the default capacity of 500 000 is about 100 MB. Because only event order and timestamps matter, replaying the journal from {@code now -
 * horizon} after a restart rebuilds the same state.
 *
 * <p>Single writer: the inference tailer.
 */
public final class LabelJoin {

    public static final long DEFAULT_HORIZON_MS = 7L * 24 * 3600 * 1000;
    public static final int DEFAULT_CAPACITY = 500_000;

    private record Pending(String model, String version, long timeMs, Prediction prediction) {
    }

    private final long horizonMs;
    private final int capacity;
    private final JoinSink sink;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private long watermarkMs = Long.MIN_VALUE;
    private long joined;
    private long expired;
    private long evictedForCapacity;
    private long unmatchedLabels;
    private long lateLabels;
    private long duplicatePredictions;

    public LabelJoin(long horizonMs, int capacity, JoinSink sink) {
        if (horizonMs <= 0 || capacity < 1) {
            throw new IllegalArgumentException("horizon and capacity must be positive");
        }
        this.horizonMs = horizonMs;
        this.capacity = capacity;
        this.sink = sink;
    }

    /** Records a prediction to wait for its label. Returns false if the id is already pending (kept: first wins). */
    public boolean onPrediction(String predictionId, String model, String version, long timeMs, Prediction prediction) {
        advance(timeMs);
        // One lookup: the map holds up to capacity ids and a miss costs a cache miss or two.
        if (pending.putIfAbsent(predictionId, new Pending(model, version, timeMs, prediction)) != null) {
            duplicatePredictions++;
            return false;
        }
        if (pending.size() > capacity) {
            Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
            it.next();
            it.remove();
            evictedForCapacity++;
        }
        return true;
    }

    /** Joins a label to its pending prediction. Returns true when joined (and passed to the sink). */
    public boolean onLabel(String predictionId, long timeMs, Label label) {
        advance(timeMs);
        Pending p = pending.remove(predictionId);
        if (p == null) {
            unmatchedLabels++;
            return false;
        }
        if (timeMs - p.timeMs() > horizonMs) {
            lateLabels++;
            return false;
        }
        joined++;
        sink.joined(p.model(), p.version(), p.timeMs(), timeMs, p.prediction(), label);
        return true;
    }

    /** Moves event time forward (e.g. on an idle tick from the journal) and expires what is past the horizon. */
    public void advance(long timeMs) {
        if (timeMs <= watermarkMs) {
            return;
        }
        watermarkMs = timeMs;
        long cutoff = timeMs - horizonMs;
        Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Pending p = it.next().getValue();
            if (p.timeMs() >= cutoff) {
                break;
            }
            it.remove();
            expired++;
        }
    }

    public int pending() {
        return pending.size();
    }

    public int capacity() {
        return capacity;
    }

    public long joined() {
        return joined;
    }

    public long expired() {
        return expired;
    }

    public long evictedForCapacity() {
        return evictedForCapacity;
    }

    public long unmatchedLabels() {
        return unmatchedLabels;
    }

    public long lateLabels() {
        return lateLabels;
    }

    public long duplicatePredictions() {
        return duplicatePredictions;
    }
}
