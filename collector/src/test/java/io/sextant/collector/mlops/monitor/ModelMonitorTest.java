package io.sextant.collector.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.collector.mlops.drift.DriftEvaluator;
import io.sextant.collector.mlops.drift.DriftPolicy;
import io.sextant.collector.mlops.drift.DriftRecord;
import io.sextant.collector.mlops.drift.ReferenceKind;
import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelMonitorTest {

    private final List<WindowSummary> summaries = new ArrayList<>();
    private final List<DriftRecord> records = new ArrayList<>();
    private final Random random = new Random(11);

    private ModelMonitor monitor(MonitorSettings settings) {
        return new ModelMonitor(settings, new DriftEvaluator(DriftPolicy.defaults()), (s, d) -> {
            summaries.add(s);
            records.addAll(d);
        });
    }

    private static MonitorSettings settings() {
        return MonitorSettings.defaults().withWindowMs(1000).withTrailingWindows(4);
    }

    private void window(ModelMonitor m, String version, int index, int n, double shift, double shareA) {
        for (int i = 0; i < n; i++) {
            long t = index * 1000L + (i * 1000L) / n;
            boolean a = random.nextDouble() < shareA;
            m.record("fraud", version, t, 2_000_000L + i * 1000L, i % 50 == 0)
                .numeric("amount", shift + random.nextGaussian())
                .categorical("channel", a ? "web" : "app")
                .predictedClass(a ? "fraud" : "ok")
                .score(0.5 + 0.1 * random.nextGaussian());
        }
    }

    @Test
    void trailingWindowsBecomeTheReferenceAndAShiftRaisesDriftRecords() {
        ModelMonitor m = monitor(settings());
        for (int w = 0; w < 5; w++) {
            window(m, "1", w, 500, 0.0, 0.5);
        }
        window(m, "1", 5, 500, 1.0, 0.8);
        m.advance(6000);
        assertThat(summaries).hasSize(6);
        assertThat(summaries.get(3).reference()).isNull();
        assertThat(summaries.get(3).driftShare()).isNaN();
        WindowSummary quiet = summaries.get(4);
        assertThat(quiet.reference()).isEqualTo(ReferenceKind.TRAILING_WINDOW);
        assertThat(quiet.datasetDrift()).isFalse();
        assertThat(quiet.driftedFeatures()).isEmpty();
        WindowSummary shifted = summaries.get(5);
        assertThat(shifted.driftedFeatures()).containsExactlyInAnyOrder("amount", "channel");
        assertThat(shifted.driftShare()).isEqualTo(1.0);
        assertThat(shifted.datasetDrift()).isTrue();
        assertThat(shifted.predictionDrift()).isTrue();
        assertThat(shifted.requests()).isEqualTo(500);
        assertThat(shifted.errors()).isEqualTo(10);
        List<DriftRecord> last = records.stream().filter(r -> r.windowStartMs() == 5000).toList();
        assertThat(last).extracting(DriftRecord::feature)
            .contains("amount", "channel", "*", ModelMonitor.PREDICTION, ModelMonitor.SCORE);
        DriftRecord amount = last.stream().filter(r -> r.feature().equals("amount")).findFirst().orElseThrow();
        assertThat(amount.statistic()).isEqualTo("wasserstein");
        assertThat(amount.value()).isCloseTo(1.0, within(0.15));
        assertThat(amount.drifted()).isTrue();
    }

    @Test
    void trainingProfileIsPreferredAndItsBinningShared() {
        NumericSketch amount = new NumericSketch();
        CategoricalSketch channel = new CategoricalSketch();
        for (int i = 0; i < 5000; i++) {
            amount.update(random.nextGaussian());
            channel.update(i % 2 == 0 ? "web" : "app");
        }
        ModelMonitor m = monitor(settings());
        m.setTrainingProfile("fraud", "1", new FeatureProfile(Map.of("amount", amount), Map.of("channel", channel)));
        window(m, "1", 0, 2000, 0.5, 0.5);
        m.advance(1000);
        WindowSummary s = summaries.get(0);
        assertThat(s.reference()).isEqualTo(ReferenceKind.TRAINING_PROFILE);
        assertThat(s.driftedFeatures()).containsExactly("amount");
        assertThat(s.driftShare()).isEqualTo(0.5);
        assertThat(s.datasetDrift()).isTrue();
    }

    @Test
    void profileBuiltFromColumnsSurvivesJson() throws Exception {
        double[] amount = new double[3000];
        String[] channel = new String[3000];
        for (int i = 0; i < amount.length; i++) {
            amount[i] = random.nextGaussian();
            channel[i] = i % 3 == 0 ? "web" : "app";
        }
        FeatureProfile p = FeatureProfile.of(Map.of("amount", amount), Map.of("channel", channel));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        FeatureProfile back = FeatureProfile.fromState(
            json.readValue(json.writeValueAsString(p.toState()), FeatureProfile.State.class));
        assertThat(back.numeric().get("amount").count()).isEqualTo(3000);
        assertThat(back.numeric().get("amount").binning()).isEqualTo(p.numeric().get("amount").binning());
        assertThat(back.categorical().get("channel").counts()).isEqualTo(p.categorical().get("channel").counts());
    }

    @Test
    void canaryIsComparedWithTheChosenVersionsWindows() {
        ModelMonitor m = monitor(settings());
        m.compareWithVersion("fraud", "2", "1");
        window(m, "1", 0, 600, 0.0, 0.5);
        window(m, "1", 1, 600, 0.0, 0.5);
        window(m, "2", 1, 600, 0.0, 0.5);
        m.advance(2000);
        window(m, "1", 2, 600, 0.0, 0.5);
        window(m, "2", 2, 600, 0.8, 0.5);
        m.advance(3000);
        List<WindowSummary> canary = m.summaries("fraud", "2");
        assertThat(canary).hasSize(2);
        assertThat(canary.get(0).reference()).isEqualTo(ReferenceKind.VERSION_WINDOW);
        assertThat(canary.get(0).driftedFeatures()).isEmpty();
        assertThat(canary.get(1).driftedFeatures()).containsExactly("amount");
    }

    @Test
    void latencyQuantilesPerWindow() {
        ModelMonitor m = monitor(settings());
        for (int i = 1; i <= 1000; i++) {
            m.record("fraud", "1", 10, i * 100_000L, false);
        }
        m.advance(1000);
        WindowSummary s = summaries.get(0);
        // latencies 0.1 ms .. 100 ms uniformly; HdrHistogram with 2 significant digits (1 % resolution)
        assertThat(s.latencyP50Ms()).isCloseTo(50.0, within(0.6));
        assertThat(s.latencyP99Ms()).isCloseTo(99.0, within(1.0));
        assertThat(s.latencyMaxMs()).isCloseTo(100.0, within(1.0));
        assertThat(s.errorRate()).isZero();
    }

    @Test
    void versionsAndFeaturesBeyondTheLimitsAreDroppedAndCounted() {
        MonitorSettings tight = new MonitorSettings(1000, 10, 2, 1, 1, 100, 16, 4, 1);
        ModelMonitor m = monitor(tight);
        m.record("fraud", "1", 1, 1000, false).numeric("a", 1).numeric("b", 2).predictedClass("x");
        m.record("fraud", "2", 1, 1000, false).numeric("a", 1);
        assertThat(m.droppedRecords()).isEqualTo(1);
        assertThat(m.droppedFeatures()).isEqualTo(1);
    }

    @Test
    void recordingAllocatesNothingOnceFeaturesAreKnown() {
        com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        ModelMonitor m = monitor(MonitorSettings.defaults().withWindowMs(3_600_000));
        String[] channels = {"web", "app", "store"};
        for (int i = 0; i < 50_000; i++) {
            m.record("fraud", "1", 10, 1_000_000L + i, false).numeric("amount", i * 0.01)
                .categorical("channel", channels[i % 3]).predictedClass(channels[i % 2]).score(0.5);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            m.record("fraud", "1", 20, 1_000_000L + i, (i & 7) == 0).numeric("amount", i * 0.01)
                .categorical("channel", channels[i % 3]).predictedClass(channels[i % 2]).score(0.5);
        }
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).isLessThan(1024);
    }

    @Test
    void lateRecordsCountIntoTheOpenWindow() {
        ModelMonitor m = monitor(settings());
        m.record("fraud", "1", 5_500, 1000, false);
        m.record("fraud", "1", 4_900, 1000, false);
        assertThat(m.lateRecords()).isEqualTo(1);
        m.advance(6000);
        assertThat(summaries.get(0).requests()).isEqualTo(2);
        assertThat(summaries.get(0).startMs()).isEqualTo(5000);
    }
}
