package io.sextant.collector.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LabelJoinTest {

    static final long DAY = 24L * 3600 * 1000;

    private final List<String> joined = new ArrayList<>();
    private final JoinSink sink = (model, version, pt, lt, p, l) -> joined.add(model + "/" + version + "@" + pt + "->" + lt);

    @Test
    void joinsLabelsArrivingDaysLaterWithinTheHorizon() {
        LabelJoin join = new LabelJoin(LabelJoin.DEFAULT_HORIZON_MS, 100, sink);
        join.onPrediction("p1", "fraud", "2", 0, Prediction.classification(1));
        join.onPrediction("p2", "fraud", "2", DAY, Prediction.classification(0));
        assertThat(join.onLabel("p1", 6 * DAY, Label.ofClass(1))).isTrue();
        assertThat(joined).containsExactly("fraud/2@0->" + 6 * DAY);
        assertThat(join.pending()).isEqualTo(1);
        assertThat(join.onLabel("p1", 6 * DAY, Label.ofClass(1))).isFalse();
        assertThat(join.unmatchedLabels()).isEqualTo(1);
    }

    @Test
    void expiresPredictionsPastTheHorizonByEventTime() {
        LabelJoin join = new LabelJoin(7 * DAY, 100, sink);
        join.onPrediction("old", "m", "1", 0, Prediction.regression(1));
        join.onPrediction("new", "m", "1", 5 * DAY, Prediction.regression(1));
        join.advance(7 * DAY + 1);
        assertThat(join.expired()).isEqualTo(1);
        assertThat(join.pending()).isEqualTo(1);
        assertThat(join.onLabel("old", 7 * DAY + 2, Label.ofValue(1))).isFalse();
        assertThat(join.onLabel("new", 7 * DAY + 2, Label.ofValue(1))).isTrue();
    }

    @Test
    void evictsTheOldestWhenFullAndCountsIt() {
        LabelJoin join = new LabelJoin(7 * DAY, 2, sink);
        join.onPrediction("a", "m", "1", 1, Prediction.regression(1));
        join.onPrediction("b", "m", "1", 2, Prediction.regression(1));
        join.onPrediction("c", "m", "1", 3, Prediction.regression(1));
        assertThat(join.pending()).isEqualTo(2);
        assertThat(join.evictedForCapacity()).isEqualTo(1);
        assertThat(join.onLabel("a", 4, Label.ofValue(1))).isFalse();
        assertThat(join.onLabel("c", 4, Label.ofValue(1))).isTrue();
    }

    @Test
    void duplicatePredictionIdKeepsTheFirst() {
        LabelJoin join = new LabelJoin(7 * DAY, 10, sink);
        assertThat(join.onPrediction("a", "m", "1", 1, Prediction.regression(1))).isTrue();
        assertThat(join.onPrediction("a", "m", "2", 2, Prediction.regression(1))).isFalse();
        join.onLabel("a", 3, Label.ofValue(1));
        assertThat(joined).containsExactly("m/1@1->3");
        assertThat(join.duplicatePredictions()).isEqualTo(1);
    }

    @Test
    void replayingTheSameEventsRebuildsTheSameState() {
        QualityTracker first = new QualityTracker(DAY, 30, m -> 2);
        QualityTracker second = new QualityTracker(DAY, 30, m -> 2);
        LabelJoin a = new LabelJoin(7 * DAY, 50, first);
        LabelJoin b = new LabelJoin(7 * DAY, 50, second);
        for (LabelJoin join : List.of(a, b)) {
            for (int i = 0; i < 200; i++) {
                join.onPrediction("p" + i, "m", "1", i * 3_600_000L, Prediction.classification(i % 2, 0.4, 0.6));
                if (i >= 10) {
                    join.onLabel("p" + (i - 10), i * 3_600_000L + 1, Label.ofClass((i - 10) % 3 == 0 ? 1 : 0));
                }
            }
        }
        assertThat(b.pending()).isEqualTo(a.pending());
        assertThat(b.joined()).isEqualTo(a.joined());
        assertThat(second.summary("m", "1", 0, Long.MAX_VALUE)).isEqualTo(first.summary("m", "1", 0, Long.MAX_VALUE));
    }

    @Test
    void trackerKeepsWindowsPerVersionByPredictionTime() {
        QualityTracker tracker = new QualityTracker(DAY, 2, m -> 2);
        LabelJoin join = new LabelJoin(7 * DAY, 100, tracker);
        join.onPrediction("a", "m", "1", 0, Prediction.classification(1, 0.2, 0.8));
        join.onPrediction("b", "m", "1", DAY + 5, Prediction.classification(0, 0.9, 0.1));
        join.onPrediction("c", "m", "2", DAY + 6, Prediction.classification(1, 0.3, 0.7));
        join.onPrediction("d", "m", "1", 2 * DAY + 6, Prediction.classification(1, 0.3, 0.7));
        join.onLabel("a", 3 * DAY, Label.ofClass(1));
        join.onLabel("b", 3 * DAY, Label.ofClass(1));
        join.onLabel("c", 3 * DAY, Label.ofClass(1));
        join.onLabel("d", 3 * DAY, Label.ofClass(1));
        assertThat(tracker.windowStarts("m", "1")).containsExactly(DAY, 2 * DAY);
        assertThat(tracker.summary("m", "1", DAY, 2 * DAY)).containsEntry("accuracy", 0.0);
        assertThat(tracker.summary("m", "1", 0, 3 * DAY).get("accuracy")).isCloseTo(0.5, within(1e-12));
        assertThat(tracker.summary("m", "2", 0, 3 * DAY)).containsEntry("accuracy", 1.0);
        assertThat(tracker.summary("m", "3", 0, 3 * DAY)).isEmpty();
        join.onPrediction("e", "m", "1", 5, Prediction.classification(1, 0.3, 0.7));
        join.onLabel("e", 3 * DAY, Label.ofClass(1));
        assertThat(tracker.droppedTooOld()).isEqualTo(1);
    }

    // ---- the primitive store, against the LinkedHashMap it replaced -----------------------------------

    @Test
    void joinsManyPredictionsInRandomLabelOrderLikeTheMapItReplaced() {
        Workload w = new Workload(1);
        w.predictions = 200_000;
        w.capacity = LabelJoin.DEFAULT_CAPACITY;
        w.horizonMs = LabelJoin.DEFAULT_HORIZON_MS;
        Outcome outcome = w.runAgainstReference();
        assertThat(outcome.joined).isGreaterThan(150_000);
        assertThat(outcome.evicted + outcome.expired).isZero();
    }

    @Test
    void evictsAndExpiresBetweenJoinsLikeTheMapItReplaced() {
        Workload w = new Workload(2);
        w.predictions = 200_000;
        w.capacity = 1_000;
        w.horizonMs = 4_000;
        w.labelChance = 0.3;
        w.outOfOrderChance = 0.05;
        w.jumpChance = 0.0005;
        w.jumpMs = 2 * w.horizonMs;
        w.verifyEvery = 997;
        Outcome outcome = w.runAgainstReference();
        assertThat(outcome.joined).isGreaterThan(10_000);
        assertThat(outcome.evicted).isGreaterThan(10_000);
        assertThat(outcome.expired).isGreaterThan(10_000);
        assertThat(outcome.late).isPositive();
        assertThat(outcome.duplicates).isPositive();
    }

    @Test
    void aSingleSlotJoinBehavesLikeTheMapItReplaced() {
        Workload w = new Workload(3);
        w.predictions = 20_000;
        w.capacity = 1;
        w.horizonMs = 50;
        w.verifyEvery = 1;
        w.runAgainstReference();
    }

    @Test
    void indexFindsEveryPendingIdAfterManyDeletions() {
        int capacity = 4_096;
        LabelJoin join = new LabelJoin(LabelJoin.DEFAULT_HORIZON_MS, capacity, sink);
        Random random = new Random(4);
        List<String> live = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 50; round++) {
            while (live.size() < capacity) {
                String id = "id-" + next++;
                assertThat(join.onPrediction(id, "m", "1", round, Prediction.regression(next))).isTrue();
                live.add(id);
            }
            Collections.shuffle(live, random);
            // Take away a random half (round 0) to nearly all (later rounds) through labels: each removal
            // shifts the rest of its probe cluster back.
            int keep = round == 0 ? capacity / 2 : random.nextInt(capacity / 8);
            while (live.size() > keep) {
                String id = live.remove(live.size() - 1);
                assertThat(join.onLabel(id, round, Label.ofValue(0))).isTrue();
                gone.add(id);
            }
            join.verify();
            assertThat(join.pending()).isEqualTo(keep);
        }
        assertThat(join.evictedForCapacity()).isZero();
        for (String id : gone.subList(gone.size() - 10_000, gone.size())) {
            assertThat(join.onLabel(id, 100, Label.ofValue(0))).isFalse();
        }
        for (String id : live) {
            assertThat(join.onLabel(id, 100, Label.ofValue(0))).isTrue();
        }
        join.verify();
        assertThat(join.pending()).isZero();
    }

    @Test
    void primitiveOverloadGivesTheSinkWhatTheObjectOneWould() {
        double nan = Double.NaN;
        double[][] cases = {
            {1, 0.8, nan}, {0, 0.1, nan}, {1, nan, nan}, {5, nan, nan}, {Integer.MAX_VALUE, nan, nan},
            {-1, nan, 2.5}, {-1, nan, nan}, {-1, nan, -0.0}, {0, 1.0, nan}, {1, 0.0, nan}, {1, 1e-300, nan},
            // not what the collector sends, still carried faithfully
            {-1, 0.3, 4.0}, {1, 0.3, 4.0}, {-7, nan, 1.0}, {2, 0.7, nan},
        };
        List<String> fromObjects = new ArrayList<>();
        List<String> fromPrimitives = new ArrayList<>();
        LabelJoin objects = new LabelJoin(7 * DAY, 100, recording(fromObjects));
        LabelJoin primitives = new LabelJoin(7 * DAY, 100, recording(fromPrimitives));
        for (int i = 0; i < cases.length; i++) {
            int c = (int) cases[i][0];
            double p = cases[i][1];
            double v = cases[i][2];
            Prediction prediction = new Prediction(c, Double.isNaN(p) ? null : new double[] {1 - p, p}, v);
            objects.onPrediction("p" + i, "m", "1", i, prediction);
            primitives.onPrediction("p" + i, "m", "1", i, c, p, v);
        }
        for (int i = cases.length - 1; i >= 0; i--) {
            assertThat(objects.onLabel("p" + i, 100, Label.ofClass(1))).isTrue();
            assertThat(primitives.onLabel("p" + i, 100, Label.ofClass(1))).isTrue();
        }
        assertThat(fromPrimitives).hasSize(cases.length).isEqualTo(fromObjects);
        assertThat(fromPrimitives.get(cases.length - 1)).isEqualTo("m/1@0->100 1 [0.19999999999999996, 0.8] NaN");
    }

    @Test
    void predictionsComeBackToTheSinkEqualToWhatWasRecorded() {
        ClassIndex binary = new ClassIndex(2, "fraud");
        ClassIndex three = new ClassIndex(3, null);
        List<Prediction> recorded = List.of(
            binary.prediction("fraud", 0.9), binary.prediction("ok", 0.7), binary.prediction("fraud", Double.NaN),
            binary.prediction("other", 0.5), binary.prediction("third", 0.5), three.prediction("a", 0.6),
            three.prediction("b", 0.1), Prediction.regression(42.5), Prediction.classification(1, 0.2, 0.8),
            Prediction.classification(2, 0.2, 0.3, 0.5), Prediction.classification(0), new Prediction(0, new double[] {0.4, Double.NaN}, Double.NaN),
            new Prediction(-1, new double[] {0.5, 0.5}, 3.0));
        List<Prediction> received = new ArrayList<>();
        LabelJoin join = new LabelJoin(7 * DAY, 4, (m, v, pt, lt, p, l) -> received.add(p));
        for (int i = 0; i < recorded.size(); i++) {
            join.onPrediction("p" + i, "m", "1", i, recorded.get(i));
            // fillers, kept as objects or as primitives, which the capacity of 4 evicts as it goes: what is
            // dropped must not leak into the records reused after it
            join.onPrediction("x" + i, "m", "1", i, i % 2 == 0 ? Prediction.classification(2, 0.1, 0.1, 0.8) : Prediction.regression(-i));
            assertThat(join.onLabel("p" + (i - 1), i, Label.ofClass(0))).isEqualTo(i > 0);
        }
        assertThat(join.evictedForCapacity()).isPositive();
        assertThat(received).hasSize(recorded.size() - 1);
        for (int i = 0; i < received.size(); i++) {
            assertThat(render(received.get(i))).isEqualTo(render(recorded.get(i)));
        }
        join.verify();
    }

    @Test
    void hashesIdsWithMurmur3Of128Bits() {
        // Expected values from Guava's Hashing.murmur3_128(0x5e7a47).hashUnencodedChars(id).
        Object[][] known = {
            {"", 0xc931e38ccce18612L, 0xe521ce5b033bbc88L},
            {"a", 0x92814cef6dba323dL, 0x988a0be62d55a4bcL},
            {"p1", 0x4ccbac7e4b3a1a59L, 0x827729ba84501890L},
            {"abcdefg", 0x35df2f9898842b56L, 0xb15b5e1b94dfdfe2L},
            {"abcdefgh", 0x8b055dd24e655719L, 0xb51e18d66220d6faL},
            {"0f8fad5b-d9cb-469f-a165-70867728950e", 0x791d52d429c4d022L, 0xdd73fd40f540ffb7L},
            {"\u00e9t\u00e9\u2603\ud83d\ude00x", 0xac7a7d7db16763c1L, 0x5da925a44a68f4daL},
        };
        PendingPredictions store = new PendingPredictions(1);
        for (Object[] k : known) {
            store.hash((String) k[0]);
            assertThat(new long[] {store.hashHi, store.hashLo}).as((String) k[0]).containsExactly((long) k[1], (long) k[2]);
        }
    }

    @Test
    void nullIdsAreKeptLikeAnyOther() {
        LabelJoin join = new LabelJoin(7 * DAY, 10, sink);
        assertThat(join.onLabel(null, 1, Label.ofValue(1))).isFalse();
        assertThat(join.onPrediction(null, null, null, 1, Prediction.regression(1))).isTrue();
        assertThat(join.onPrediction(null, "m", "1", 1, Prediction.regression(1))).isFalse();
        assertThat(join.onLabel(null, 2, Label.ofValue(1))).isTrue();
        assertThat(joined).containsExactly("null/null@1->2");
    }

    @Test
    void memoryFollowsPendingPredictionsUpToTheDocumentedFootprint() {
        LabelJoin join = new LabelJoin(LabelJoin.DEFAULT_HORIZON_MS, LabelJoin.DEFAULT_CAPACITY, sink);
        assertThat(join.footprintBytes()).isZero();
        for (int i = 0; i < 100; i++) {
            join.onPrediction("p" + i, "m", "1", i, 1, 0.5, Double.NaN);
        }
        assertThat(join.footprintBytes()).isLessThan(20_000);
        for (int i = 100; i < LabelJoin.DEFAULT_CAPACITY + 10; i++) {
            join.onPrediction("p" + i, "m", "1", i, 1, 0.5, Double.NaN);
        }
        assertThat(join.pending()).isEqualTo(LabelJoin.DEFAULT_CAPACITY);
        assertThat(join.evictedForCapacity()).isEqualTo(10);
        // 48 bytes a record, and an index of 2^20 entries of 8 bytes (the class documentation's 31 MiB)
        assertThat(join.footprintBytes()).isEqualTo(48L * 500_000 + 8L * 1_048_576);
    }

    @Test
    void recordingAPredictionAllocatesNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        String[] ids = new String[40_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}).toString();
        }
        String model = "fraud";
        String version = "2";
        LabelJoin join = new LabelJoin(10_000, 8_192, (m, v, pt, lt, p, l) -> { });
        Label label = Label.ofClass(1);
        long t = 0;
        for (int pass = 0; pass < 2; pass++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (String id : ids) {
                t++;
                join.onPrediction(id, model, version, t, 1, 0.75, Double.NaN);
                join.onPrediction(id, model, version, t, 1, 0.75, Double.NaN);
                join.advance(t);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (pass == 1) {
                // evictions, duplicates, expiry and the identity fast path for the pair, and nothing allocated
                assertThat(allocated).isLessThan(1_024);
            }
        }
        assertThat(join.evictedForCapacity()).isPositive();
        assertThat(join.duplicatePredictions()).isEqualTo(2L * ids.length);
        assertThat(join.onLabel(ids[ids.length - 1], t, label)).isTrue();
    }

    private static JoinSink recording(List<String> into) {
        return (model, version, pt, lt, p, l) -> into.add(model + "/" + version + "@" + pt + "->" + lt + " " + render(p));
    }

    private static String render(Prediction p) {
        return p.predictedClass() + " " + Arrays.toString(p.probabilities()) + " " + p.value();
    }

    record Outcome(long joined, long evicted, long expired, long late, long duplicates) {
    }

    /** A random stream of predictions, labels and ticks fed to the join and to a copy of the map-based one. */
    static final class Workload {
        private final Random random;
        int predictions;
        int capacity;
        long horizonMs;
        double labelChance = 0.8;
        double outOfOrderChance = 0.01;
        double jumpChance = 0.01;
        long jumpMs = 100_000;
        int verifyEvery;

        Workload(long seed) {
            random = new Random(seed);
        }

        Outcome runAgainstReference() {
            List<String> got = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            LabelJoin join = new LabelJoin(horizonMs, capacity, recording(got));
            MapJoin reference = new MapJoin(horizonMs, capacity, recording(expected));
            String[] models = {"fraud", "churn", "price"};
            String[] versions = {"1", "2"};
            List<String> ids = new ArrayList<>();
            long t = 1_000_000;
            int ops = 0;
            for (int i = 0; i < predictions; i++) {
                t += random.nextInt(3);
                long pt = random.nextDouble() < outOfOrderChance ? t - random.nextInt((int) Math.min(horizonMs * 2, 1_000_000)) : t;
                String id = random.nextInt(50) == 0 && !ids.isEmpty() ? ids.get(random.nextInt(ids.size())) : "pred-" + i;
                // new String: equal ids and model names need not be the same objects
                String model = new String(models[random.nextInt(models.length)]);
                String version = versions[random.nextInt(versions.length)];
                Prediction p = randomPrediction();
                boolean primitive = p.probabilities() == null || p.probabilities().length == 2 && random.nextBoolean();
                boolean added = primitive
                    ? join.onPrediction(id, model, version, pt, p.predictedClass(),
                        p.probabilities() == null ? Double.NaN : p.probabilities()[1], p.value())
                    : join.onPrediction(id, model, version, pt, p);
                if (primitive && p.probabilities() != null) {
                    p = new Prediction(p.predictedClass(), new double[] {1 - p.probabilities()[1], p.probabilities()[1]}, p.value());
                }
                assertThat(added).isEqualTo(reference.onPrediction(id, model, version, pt, p));
                ids.add(id);
                while (random.nextDouble() < labelChance && !ids.isEmpty()) {
                    // any unlabelled id, mostly a recent one (older ones may well be gone)
                    int k = random.nextInt(4) == 0 ? random.nextInt(ids.size())
                        : ids.size() - 1 - random.nextInt(Math.min(ids.size(), 2 * capacity));
                    String labelled = ids.get(k);
                    ids.set(k, ids.get(ids.size() - 1));
                    ids.remove(ids.size() - 1);
                    long lt = t + random.nextInt(2) - (random.nextInt(100) == 0 ? random.nextInt(1_000) : 0);
                    if (random.nextInt(20) == 0) {
                        labelled = "unknown-" + i;
                    }
                    Label label = Label.ofClass(random.nextInt(2));
                    assertThat(join.onLabel(labelled, lt, label)).isEqualTo(reference.onLabel(labelled, lt, label));
                }
                if (random.nextDouble() < jumpChance) {
                    t += random.nextInt((int) Math.min(jumpMs, 100_000));
                    join.advance(t);
                    reference.advance(t);
                }
                if (verifyEvery > 0 && ++ops % verifyEvery == 0) {
                    join.verify();
                    assertThat(join.pending()).isEqualTo(reference.pending());
                }
            }
            Collections.shuffle(ids, random);
            for (String id : ids) {
                assertThat(join.onLabel(id, t, Label.ofValue(1))).isEqualTo(reference.onLabel(id, t, Label.ofValue(1)));
            }
            join.verify();
            assertThat(got).isEqualTo(expected);
            assertThat(join.pending()).isEqualTo(reference.pending());
            assertThat(new long[] {join.joined(), join.expired(), join.evictedForCapacity(), join.unmatchedLabels(),
                join.lateLabels(), join.duplicatePredictions()}).containsExactly(reference.joined, reference.expired,
                reference.evictedForCapacity, reference.unmatchedLabels, reference.lateLabels, reference.duplicatePredictions);
            return new Outcome(join.joined(), join.evictedForCapacity(), join.expired(), join.lateLabels(),
                join.duplicatePredictions());
        }

        private Prediction randomPrediction() {
            switch (random.nextInt(6)) {
                case 0:
                    return Prediction.regression(random.nextGaussian());
                case 1:
                    return new Prediction(Integer.MAX_VALUE, null, Double.NaN);
                case 2:
                    return Prediction.classification(random.nextInt(3));
                case 3:
                    double p = random.nextDouble();
                    return Prediction.classification(random.nextInt(2), 1 - p, p);
                case 4:
                    return Prediction.classification(random.nextInt(2), random.nextDouble(), random.nextDouble());
                default:
                    return Prediction.classification(random.nextInt(3), 0.2, 0.3, 0.5);
            }
        }
    }

    /** The map-based join this class replaced, kept as the reference for its semantics. */
    static final class MapJoin {
        private record Pending(String model, String version, long timeMs, Prediction prediction) {
        }

        private final long horizonMs;
        private final int capacity;
        private final JoinSink sink;
        private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
        private long watermarkMs = Long.MIN_VALUE;
        long joined;
        long expired;
        long evictedForCapacity;
        long unmatchedLabels;
        long lateLabels;
        long duplicatePredictions;

        MapJoin(long horizonMs, int capacity, JoinSink sink) {
            this.horizonMs = horizonMs;
            this.capacity = capacity;
            this.sink = sink;
        }

        boolean onPrediction(String predictionId, String model, String version, long timeMs, Prediction prediction) {
            advance(timeMs);
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

        boolean onLabel(String predictionId, long timeMs, Label label) {
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

        void advance(long timeMs) {
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

        int pending() {
            return pending.size();
        }
    }
}
