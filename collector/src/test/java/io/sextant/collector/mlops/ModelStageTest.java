package io.sextant.collector.mlops;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.SignalLog;
import io.sextant.collector.mlops.feed.InferenceRecord;
import io.sextant.collector.mlops.feed.LabelRecord;
import io.sextant.collector.mlops.feed.ModelEventRecord;
import io.sextant.collector.mlops.monitor.FeatureProfile;
import io.sextant.collector.store.SeriesStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelStageTest {

    private static final long WINDOW = 60_000;
    private static final long T0 = 1_764_000_000_000L;

    /** Records what a stage publishes; the latest version of each id wins. */
    static final class Context implements AnalysisContext {
        final List<Signal> published = new ArrayList<>();
        final Map<String, Signal> latest = new LinkedHashMap<>();
        boolean replaying;

        @Override
        public void publish(Signal signal) {
            published.add(signal);
            latest.put(signal.id(), signal);
        }

        @Override
        public SeriesStore store() {
            return null;
        }

        @Override
        public SignalLog signals() {
            return null;
        }

        @Override
        public boolean replaying() {
            return replaying;
        }

        @Override
        public long nowMillis() {
            return 0;
        }

        List<Signal> of(Signal.Kind kind) {
            return latest.values().stream().filter(s -> s.kind() == kind).toList();
        }
    }

    private static InferenceRecord inference(long time, String version, double x, String region, String predicted,
                                             double score, String id) {
        return new InferenceRecord("loan-scoring", "agent-1", "loan", version, time, 2_000_000, false, predicted,
            Double.NaN, score, id, List.of("x"), new double[] {x}, List.of("region"), List.of(region));
    }

    private static FeatureProfile trainingProfile(Random random) {
        double[] x = new double[2000];
        String[] region = new String[2000];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
            region[i] = i % 2 == 0 ? "north" : "south";
        }
        return FeatureProfile.of(Map.of("x", x), Map.of("region", region));
    }

    @Test
    void publishesDriftSignalOnceAFeatureShifts() {
        ModelStage stage = new ModelStage(null, WINDOW, 7 * 86_400_000L, 10_000);
        Context ctx = new Context();
        stage.start(ctx);
        Random random = new Random(7);
        stage.monitor().setTrainingProfile("loan", "1.0.0", trainingProfile(random));
        // Window 0: the training distribution. Window 1: x shifted by 1.5 standard deviations.
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < 400; i++) {
                double shift = w == 1 ? 1.5 : 0.0;
                stage.onEvent(inference(T0 + w * WINDOW + i * 100, "1.0.0", random.nextGaussian() + shift,
                    i % 2 == 0 ? "north" : "south", "repaid", 0.8, null));
            }
            stage.onTick(T0 + (w + 1) * WINDOW + ModelStage.CLOSE_GRACE_MS);
            if (w == 0) {
                assertThat(ctx.of(Signal.Kind.DRIFT)).as("no drift on the training distribution").isEmpty();
            }
        }
        List<Signal> drift = ctx.of(Signal.Kind.DRIFT);
        assertThat(drift).extracting(Signal::subject).contains("loan/1.0.0/x").doesNotContain("loan/1.0.0/region");
        Signal x = drift.stream().filter(s -> s.subject().equals("loan/1.0.0/x")).findFirst().orElseThrow();
        assertThat(x.open()).isTrue();
        assertThat(x.service()).isEqualTo("loan-scoring");
        assertThat(x.startMillis()).isEqualTo(T0 - Math.floorMod(T0, WINDOW) + WINDOW);
        assertThat(x.labels()).containsEntry("reference", "training_profile");
        // The drift report over HTTP reads the same state.
        Map<String, Object> report = stage.drift("loan", "1.0.0", "training");
        assertThat(report.get("datasetDrift")).asString().contains("drifted=true");
    }

    @Test
    void computesQualityOnceDelayedLabelsArriveAndSignalsADrop() {
        ModelStage stage = new ModelStage(null, WINDOW, 7 * 86_400_000L, 10_000);
        Context ctx = new Context();
        stage.start(ctx);
        long base = T0 - Math.floorMod(T0, WINDOW);
        // Windows 0-1: 90% right. Window 2 (a worse version): 60% right. Labels come 90 s after each prediction.
        List<LabelRecord> labels = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            String version = w < 2 ? "1.0.0" : "1.1.0";
            for (int i = 0; i < 100; i++) {
                long t = base + w * WINDOW + i * 500;
                String predicted = i % 2 == 0 ? "default" : "repaid";
                boolean right = w < 2 ? i % 10 != 0 : i % 10 < 6;
                String truth = right ? predicted : (predicted.equals("default") ? "repaid" : "default");
                String id = "p-" + w + "-" + i;
                stage.onEvent(inference(t, version, 0.0, "north", predicted, 0.7, id));
                labels.add(new LabelRecord("loan", id, t + 90_000, truth, Double.NaN, "agent"));
            }
        }
        assertThat(stage.quality().summary("loan", "1.0.0", base, base + 3 * WINDOW)).isEmpty();
        labels.sort((a, b) -> Long.compare(a.timeMillis(), b.timeMillis()));
        for (LabelRecord l : labels) {
            stage.onEvent(l);
        }
        stage.onTick(base + 5 * WINDOW);
        Map<String, Double> good = stage.quality().summary("loan", "1.0.0", base, base + 2 * WINDOW);
        assertThat(good.get("count")).isEqualTo(200.0);
        assertThat(good.get("accuracy")).isEqualTo(0.9);
        Map<String, Double> bad = stage.quality().summary("loan", "1.1.0", base, base + 3 * WINDOW);
        assertThat(bad.get("accuracy")).isEqualTo(0.6);
        assertThat(stage.join().joined()).isEqualTo(300);
        List<Signal> quality = ctx.of(Signal.Kind.QUALITY);
        assertThat(quality).hasSize(1);
        assertThat(quality.get(0).subject()).isEqualTo("loan/1.1.0/accuracy");
        assertThat(quality.get(0).observed()).isEqualTo(0.6);
        assertThat(quality.get(0).id()).isEqualTo("quality:loan/1.1.0/accuracy@" + (base + 2 * WINDOW));
    }

    @Test
    void aBacklogOfOldRecordsIsNotSplitByTicksOfWallClockTime() {
        ModelStage stage = new ModelStage(null, WINDOW, 7 * 86_400_000L, 10_000);
        stage.start(new Context());
        long live = T0 + 3_600_000L;
        long base = T0 - Math.floorMod(T0, WINDOW);
        stage.onTick(live);
        // An hour-old window arrives in pieces, with ticks of the present in between.
        for (int piece = 0; piece < 3; piece++) {
            for (int i = 0; i < 40; i++) {
                stage.onEvent(inference(base + piece * 10_000 + i, "1.0.0", 0.5, "north", "repaid", 0.8, null));
            }
            stage.onTick(live + (piece + 1) * 1_000);
            assertThat(stage.monitor().summaries("loan", "1.0.0")).isEmpty();
        }
        // Then nothing more arrives: the window closes once, with every record.
        stage.onTick(live + 4_000);
        stage.onTick(live + 5_000);
        assertThat(stage.monitor().summaries("loan", "1.0.0")).singleElement()
            .satisfies(w -> assertThat(w.requests()).isEqualTo(120));
    }

    private static ModelEventRecord event(String key, long time, String kind, String version, String previous) {
        return new ModelEventRecord(key, "loan-scoring", "agent-1", time, kind, "loan", version,
            kind.equals("REGISTER") ? "" : "production", previous, "", "", "", Map.of(), Map.of());
    }

    @Test
    void turnsModelEventsIntoChangeSignals() {
        ModelStage stage = new ModelStage(null, WINDOW, 7 * 86_400_000L, 10_000);
        Context ctx = new Context();
        stage.start(ctx);
        stage.onEvent(event("a/1/1", T0, "REGISTER", "1.1.0", ""));
        stage.onEvent(event("a/1/2", T0 + 1000, "PROMOTE", "1.1.0", "1.0.0"));
        stage.onEvent(event("a/1/3", T0 + 2000, "ROLLBACK", "1.0.0", "1.1.0"));
        List<Signal> changes = ctx.of(Signal.Kind.CHANGE);
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).id()).isEqualTo("model-event:a/1/2");
        assertThat(changes.get(0).summary()).isEqualTo("model loan rolled out 1.1.0 to production, replacing 1.0.0");
        assertThat(changes.get(0).labels()).containsEntry("version", "1.1.0").containsEntry("previous", "1.0.0");
        assertThat(changes.get(0).startMillis()).isEqualTo(T0 + 1000);
        assertThat(changes.get(1).summary()).isEqualTo("model loan rolled back production to 1.0.0 from 1.1.0");
        assertThat(changes.get(1).service()).isEqualTo("loan-scoring");
    }

    @Test
    void replayPublishesTheSameSignalsWithTheSameIds() {
        List<Object> journal = new ArrayList<>();
        Random random = new Random(11);
        long base = T0 - Math.floorMod(T0, WINDOW);
        journal.add(event("a/1/1", base, "DEPLOY", "1.0.0", ""));
        for (int w = 0; w < 8; w++) {
            for (int i = 0; i < 100; i++) {
                long t = base + w * WINDOW + i * 500;
                double x = random.nextGaussian() + (w >= 6 ? 2.0 : 0.0);
                String id = "r-" + w + "-" + i;
                String predicted = x > 0 ? "default" : "repaid";
                journal.add(inference(t, "1.0.0", x, "north", predicted, 0.7, id));
                boolean right = w < 6 ? i % 10 != 0 : i % 2 == 0;
                String wrong = predicted.equals("default") ? "repaid" : "default";
                journal.add(new LabelRecord("loan", id, t + 1, right ? predicted : wrong, Double.NaN, "agent"));
            }
            journal.add(Long.valueOf(base + (w + 1) * WINDOW + ModelStage.CLOSE_GRACE_MS));
        }
        Context first = run(journal);
        Context second = run(journal);
        assertThat(first.of(Signal.Kind.DRIFT)).isNotEmpty();
        assertThat(first.of(Signal.Kind.QUALITY)).isNotEmpty();
        assertThat(first.of(Signal.Kind.CHANGE)).hasSize(1);
        assertThat(second.published).isEqualTo(first.published);
    }

    private static Context run(List<Object> journal) {
        ModelStage stage = new ModelStage(null, WINDOW, 7 * 86_400_000L, 10_000);
        Context ctx = new Context();
        ctx.replaying = true;
        stage.start(ctx);
        for (Object o : journal) {
            if (o instanceof Long tick) {
                stage.onTick(tick);
            } else {
                stage.onEvent(o);
            }
        }
        return ctx;
    }
}
