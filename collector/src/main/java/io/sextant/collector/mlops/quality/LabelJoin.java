package io.sextant.collector.mlops.quality;

import java.util.Arrays;
import java.util.HashMap;
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
 * <p>Ids are not kept: a pending prediction is known by a 128-bit hash of its id (MurmurHash3 x64 128 of
 * the id's chars), so two different ids with the same 128-bit hash are the only way to mis-join (the second
 * would count as a duplicate, and a label for either would join the first). Between ids that are not
 * crafted to collide, the chance that any label or prediction meets a colliding pending id is at most
 * (events) x (pending) / 2^128: under 10^-19 over ten years of 75 000 events/s against 500 000 pending.
 * MurmurHash3 is not a cryptographic hash; ids come from the monitored services, and someone able to craft
 * colliding ids there could only disturb that model's quality metrics.
 *
 * <p>Memory: each pending prediction is a 48-byte record (id hash, time, the prediction as primitives,
 * insertion-order links) in one array, plus an index of 8-byte entries at most half full; both grow by
 * doubling up to {@code capacity} as predictions arrive, so a join with few pending predictions stays small.
 * Full, that is 48 bytes a prediction plus 16 to 32 for the index: 31 MiB for the default capacity of
 * 500 000 (24 000 000 + 8 388 608 bytes), whatever the ids' length. The distinct (model, version) pairs are
 * kept once each for the join's lifetime, and a prediction passed as an object whose probabilities are not
 * {1 - p, p} (not one {@link ClassIndex} makes) is kept as that object besides its record. Recording a
 * prediction allocates nothing (beyond that rare case and the growth) and touches a bounded number of
 * cache lines: the index around the id's home slot, the newest record and, when full or expiring, the
 * oldest record, its successor and its index entry.
 *
 * <p>Because only event order and timestamps matter, replaying the journal from {@code now - horizon}
 * after a restart rebuilds the same state.
 *
 * <p>Single writer: the inference tailer.
 */
public final class LabelJoin {

    public static final long DEFAULT_HORIZON_MS = 7L * 24 * 3600 * 1000;
    public static final int DEFAULT_CAPACITY = 500_000;

    // META: predicted class in the high int; in the low int the (model, version) index and a flag saying
    // the prediction is kept as an object in `odd`. PAYLOAD: P(class 1) of a classification (NaN: no
    // probabilities), or the value of a regression (class < 0).
    private static final long ODD = 0x8000_0000L;
    private static final int PAIR_MASK = 0x7fff_ffff;

    private final long horizonMs;
    private final int capacity;
    private final int maxPending;
    private final JoinSink sink;
    private final PendingPredictions pending;
    private final Map<String, Map<String, Integer>> pairIndex = new HashMap<>();
    private String[] pairModel = new String[4];
    private String[] pairVersion = new String[4];
    private int pairs;
    private String lastModel;
    private String lastVersion;
    private int lastPair = -1;
    private Prediction[] odd;
    private long watermarkMs = Long.MIN_VALUE;
    private long joined;
    private long expired;
    private long evictedForCapacity;
    private long unmatchedLabels;
    private long lateLabels;
    private long duplicatePredictions;

    /**
     * @param capacity most predictions pending at once; above 357 913 939 (over 16 GiB of records) it is
     *                 held to that, as one array cannot hold more
     */
    public LabelJoin(long horizonMs, int capacity, JoinSink sink) {
        if (horizonMs <= 0 || capacity < 1) {
            throw new IllegalArgumentException("horizon and capacity must be positive");
        }
        this.horizonMs = horizonMs;
        this.capacity = capacity;
        this.maxPending = Math.min(capacity, PendingPredictions.MAX_RECORDS);
        this.sink = sink;
        this.pending = new PendingPredictions(maxPending);
    }

    /** Records a prediction to wait for its label. Returns false if the id is already pending (kept: first wins). */
    public boolean onPrediction(String predictionId, String model, String version, long timeMs, Prediction prediction) {
        int predictedClass = prediction.predictedClass();
        double[] probabilities = prediction.probabilities();
        double value = prediction.value();
        if (predictedClass < 0 && probabilities == null) {
            return onPrediction(predictionId, model, version, timeMs, predictedClass, Double.NaN, value);
        }
        if (predictedClass >= 0 && Double.isNaN(value) && (probabilities == null || isComplementPair(probabilities))) {
            return onPrediction(predictionId, model, version, timeMs, predictedClass,
                probabilities == null ? Double.NaN : probabilities[1], value);
        }
        return add(predictionId, model, version, timeMs, predictedClass, 0, prediction);
    }

    /**
     * Records a prediction given as primitives, without allocating: the same as passing
     * {@code new Prediction(predictedClass, probabilities, value)} where probabilities are
     * {@code {1 - positiveProbability, positiveProbability}}, or null when {@code positiveProbability} is NaN.
     *
     * @param predictedClass      the class index of a classifier, -1 for a regression
     * @param positiveProbability P(class 1) of a binary classifier, NaN for none (regression, more classes)
     * @param value               the value of a regression, NaN for a classifier
     * @return false if the id is already pending (kept: first wins)
     */
    public boolean onPrediction(String predictionId, String model, String version, long timeMs, int predictedClass,
                                double positiveProbability, double value) {
        if (predictedClass < 0 && Double.isNaN(positiveProbability)) {
            return add(predictionId, model, version, timeMs, predictedClass, Double.doubleToRawLongBits(value), null);
        }
        if (predictedClass >= 0 && Double.isNaN(value)) {
            return add(predictionId, model, version, timeMs, predictedClass,
                Double.doubleToRawLongBits(positiveProbability), null);
        }
        double[] probabilities = Double.isNaN(positiveProbability)
            ? null : new double[] {1 - positiveProbability, positiveProbability};
        Prediction kept = new Prediction(predictedClass, probabilities, value);
        return add(predictionId, model, version, timeMs, predictedClass, 0, kept);
    }

    /** Whether {1 - p, p} rebuilds these probabilities bit for bit. */
    private static boolean isComplementPair(double[] probabilities) {
        return probabilities.length == 2 && !Double.isNaN(probabilities[1])
            && Double.doubleToRawLongBits(1 - probabilities[1]) == Double.doubleToRawLongBits(probabilities[0]);
    }

    private boolean add(String predictionId, String model, String version, long timeMs, int predictedClass,
                        long payload, Prediction oddPrediction) {
        advance(timeMs);
        pending.hash(predictionId);
        long hi = pending.hashHi;
        long lo = pending.hashLo;
        if (pending.find(hi, lo) >= 0) {
            duplicatePredictions++;
            return false;
        }
        if (pending.size() == maxPending) {
            // The old prediction goes before the new one is stored; the outcome is the same as storing
            // first and then dropping the oldest, as the oldest is never the new one.
            drop(pending.head());
            evictedForCapacity++;
        }
        long meta = (long) predictedClass << 32 | pair(model, version) | (oddPrediction == null ? 0 : ODD);
        int record = pending.add(hi, lo, timeMs, payload, meta);
        if (oddPrediction != null) {
            if (odd == null || odd.length < pending.allocated()) {
                odd = odd == null ? new Prediction[pending.allocated()] : Arrays.copyOf(odd, pending.allocated());
            }
            odd[record] = oddPrediction;
        }
        return true;
    }

    /** The index of a (model, version) pair, by identity for a run of the same strings and by equality otherwise. */
    private int pair(String model, String version) {
        if (model == lastModel && version == lastVersion && lastPair >= 0) {
            return lastPair;
        }
        Map<String, Integer> versions = pairIndex.get(model);
        Integer known = versions == null ? null : versions.get(version);
        int pair;
        if (known != null) {
            pair = known;
        } else {
            pair = pairs++;
            if (pair == pairModel.length) {
                pairModel = Arrays.copyOf(pairModel, 2 * pair);
                pairVersion = Arrays.copyOf(pairVersion, 2 * pair);
            }
            pairModel[pair] = model;
            pairVersion[pair] = version;
            pairIndex.computeIfAbsent(model, m -> new HashMap<>()).put(version, pair);
        }
        lastModel = model;
        lastVersion = version;
        lastPair = pair;
        return pair;
    }

    private void drop(int record) {
        if ((pending.meta(record) & ODD) != 0) {
            odd[record] = null;
        }
        pending.remove(record);
    }

    /** Joins a label to its pending prediction. Returns true when joined (and passed to the sink). */
    public boolean onLabel(String predictionId, long timeMs, Label label) {
        advance(timeMs);
        pending.hash(predictionId);
        int record = pending.find(pending.hashHi, pending.hashLo);
        if (record < 0) {
            unmatchedLabels++;
            return false;
        }
        long predictionTimeMs = pending.timeMs(record);
        long meta = pending.meta(record);
        long payload = pending.payload(record);
        Prediction kept = (meta & ODD) != 0 ? odd[record] : null;
        drop(record);
        if (timeMs - predictionTimeMs > horizonMs) {
            lateLabels++;
            return false;
        }
        joined++;
        int pair = (int) meta & PAIR_MASK;
        sink.joined(pairModel[pair], pairVersion[pair], predictionTimeMs, timeMs,
            kept != null ? kept : prediction((int) (meta >>> 32), Double.longBitsToDouble(payload)), label);
        return true;
    }

    private static Prediction prediction(int predictedClass, double payload) {
        if (predictedClass < 0) {
            return new Prediction(predictedClass, null, payload);
        }
        double[] probabilities = Double.isNaN(payload) ? null : new double[] {1 - payload, payload};
        return new Prediction(predictedClass, probabilities, Double.NaN);
    }

    /** Moves event time forward (e.g. on an idle tick from the journal) and expires what is past the horizon. */
    public void advance(long timeMs) {
        if (timeMs <= watermarkMs) {
            return;
        }
        watermarkMs = timeMs;
        long cutoff = timeMs - horizonMs;
        for (int head = pending.head(); head >= 0 && pending.timeMs(head) < cutoff; head = pending.head()) {
            drop(head);
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

    /** Checks the store's invariants (for tests). */
    void verify() {
        pending.verify();
    }

    /** Bytes held by the store's arrays (for tests). */
    long footprintBytes() {
        return pending.footprintBytes();
    }
}
