package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.SignalLog;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.sextant.collector.analysis.correlate.CorrelationStageTest.anomaly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ranking with the deviation of each metric member from its series' pre-onset baseline, read from a real store:
 * small hand-built incidents whose series are written point by point.
 */
class BaselineRankingTest {

    private static final long T = 1_764_270_000_000L;
    private static final long STEP = 10_000;

    private final SeriesStore store = new SeriesStore(1_000, 24 * 3_600_000L, 100);
    private final Random rnd = new Random(7);

    /** What the started stages published, in order. */
    private final List<Signal> published = new ArrayList<>();

    private CorrelationStage started() {
        CorrelationStage stage = new CorrelationStage();
        stage.start(new AnalysisContext() {
            @Override
            public void publish(Signal signal) {
                published.add(signal);
            }

            @Override
            public SeriesStore store() {
                return store;
            }

            @Override
            public SignalLog signals() {
                return null;
            }

            @Override
            public boolean replaying() {
                return false;
            }

            @Override
            public long nowMillis() {
                return T;
            }
        });
        return stage;
    }

    /**
     * Writes a gauge {@code metric{service=...}} from 40 minutes before {@code T} to {@code until}: {@code base} with
     * relative noise {@code noise}, plus {@code shift} from {@code from} on.
     */
    private void series(String service, String metric, double base, double noise, long from, double shift,
                        long until) {
        MetricSeries s = store.metric(metric, Series.Kind.GAUGE, "1", Map.of("service", service));
        for (long t = T - 2_400_000; t <= until; t += STEP) {
            double v = base * (1 + noise * rnd.nextGaussian()) + (t >= from ? shift : 0);
            store.append(s, t, v);
        }
        store.publish(until, true);
    }

    private static List<String> order(IncidentSnapshot inc) {
        List<String> out = new ArrayList<>();
        for (Cause c : inc.causes()) {
            out.add(c.kind() + " " + c.service());
        }
        return out;
    }

    private static IncidentSnapshot only(CorrelationStage stage) {
        List<IncidentSnapshot> all = new ArrayList<>(stage.board().all());
        assertEquals(1, all.size(), () -> "incidents: " + all);
        return all.get(0);
    }

    @Test
    void robustDeviationMeasuresTheWholeShiftAndNotTheNoise() {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            long t = T - 1_800_000 + i * STEP;
            points.add(new double[] {t, 100 + rnd.nextGaussian()});
        }
        List<double[]> quiet = new ArrayList<>(points);
        List<double[]> shifted = new ArrayList<>(points);
        for (int i = 0; i < 30; i++) {
            long t = T + i * STEP;
            quiet.add(new double[] {t, 100 + rnd.nextGaussian()});
            shifted.add(new double[] {t, 130 + rnd.nextGaussian()});
        }
        double noise = Baselines.robustDeviation(quiet, T);
        double shift = Baselines.robustDeviation(shifted, T);
        assertTrue(noise < RootCauseRanker.MIN_DEVIATION, "noise alone moved " + noise);
        assertTrue(shift > 25 && shift < 40, "a shift of 30 standard deviations measured " + shift);
        // too little history before the onset: unknown
        assertTrue(Double.isNaN(Baselines.robustDeviation(shifted.subList(175, 210), T)));
    }

    @Test
    void anOrdinaryValueFlaggedFirstDoesNotMakeItsServiceTheCause() {
        CorrelationStage stage = started();
        stage.dependency("checkout", "payment");
        // checkout's error rate is flagged first, but its value is what it has always been (a detector whose
        // expected range had adapted to something else); payment's latency then triples, and checkout's follows.
        series("checkout", "http.errors", 0.01, 0.05, Long.MAX_VALUE, 0, T + 120_000);
        series("payment", "http.latency", 20, 0.05, T + 40_000, 40, T + 120_000);
        series("checkout", "http.latency", 50, 0.05, T + 40_000, 20, T + 120_000);
        stage.onSignal(anomaly("checkout", "http.errors", T, T + 20_000, 0.7, false));
        stage.onSignal(anomaly("payment", "http.latency", T + 40_000, T + 120_000, 0.7, true));
        stage.onSignal(anomaly("checkout", "http.latency", T + 40_000, T + 120_000, 0.7, true));
        stage.onTick(T + 121_000);
        IncidentSnapshot inc = only(stage);
        assertEquals("service payment", order(inc).get(0), order(inc).toString());
        Cause payment = inc.causes().get(0);
        assertTrue(payment.evidence().stream().anyMatch(e -> e.startsWith("moved") && e.contains("pre-onset")),
                payment.evidence().toString());

        // Without the store (no baselines known) the same signals make checkout, the first symptom, the cause.
        CorrelationStage blind = new CorrelationStage();
        blind.dependency("checkout", "payment");
        blind.onSignal(anomaly("checkout", "http.errors", T, T + 20_000, 0.7, false));
        blind.onSignal(anomaly("payment", "http.latency", T + 40_000, T + 120_000, 0.7, true));
        blind.onSignal(anomaly("checkout", "http.latency", T + 40_000, T + 120_000, 0.7, true));
        assertEquals("service checkout", order(only(blind)).get(0), order(only(blind)).toString());
    }

    @Test
    void aSymptomStartsWhereItsSeriesMovedNotWhereItsDetectorOpenedIt() {
        CorrelationStage stage = started();
        stage.dependency("checkout", "payment");
        // checkout's detector opens an anomaly at T on an ordinary value and keeps it open through the move its
        // callee payment causes at T + 100 s: checkout's symptom begins at T + 100 s, with payment's.
        series("payment", "http.errors", 0.01, 0.05, T + 100_000, 0.3, T + 240_000);
        series("checkout", "http.errors", 0.01, 0.05, T + 100_000, 0.15, T + 240_000);
        stage.onSignal(anomaly("checkout", "http.errors", T, T + 240_000, 0.85, true));
        stage.onSignal(anomaly("payment", "http.errors", T + 100_000, T + 240_000, 0.85, true));
        stage.onTick(T + 241_000);
        IncidentSnapshot inc = only(stage);
        assertEquals("service payment", order(inc).get(0), order(inc).toString());
        Cause checkout = inc.causes().stream().filter(c -> c.kind().equals("service") && c.service().equals("checkout"))
                .findFirst().orElseThrow();
        assertTrue(checkout.evidence().stream().anyMatch(e -> e.contains("likely a victim")),
                checkout.evidence().toString());
    }

    @Test
    void aModelVersionChangeJustBeforeItsPredictionsShiftRanksFirst() {
        CorrelationStage stage = started();
        stage.dependency("checkout", "scorer");
        series("checkout", "http.errors", 0.01, 0.05, Long.MAX_VALUE, 0, T + 180_000);
        series("scorer", "inference.prediction.mean", 0.1, 0.05, T + 60_000, 0.2, T + 180_000);
        series("checkout", "orders.declined.rate", 0.02, 0.05, T + 60_000, 0.15, T + 180_000);
        // noise on checkout first, then the new model version, then its predictions and checkout's declines
        stage.onSignal(anomaly("checkout", "http.errors", T, T + 20_000, 0.6, false));
        stage.onSignal(Signal.change("model:scorer@" + (T + 50_000), "model-deploy", "scorer", "scorer-model/production",
                Map.of("model", "scorer-model", "version", "1.4.0", "previous", "1.3.0", "alias", "production"),
                T + 50_000, "model scorer-model deployed 1.4.0 to production, replacing 1.3.0"));
        stage.onSignal(anomaly("scorer", "inference.prediction.mean", T + 60_000, T + 180_000, 0.75, true));
        stage.onSignal(anomaly("checkout", "orders.declined.rate", T + 60_000, T + 180_000, 0.85, true));
        stage.onTick(T + 181_000);
        IncidentSnapshot inc = only(stage);
        assertEquals("model-version scorer", order(inc).get(0), order(inc).toString());
    }

    /** Ticks the stage once a second to {@code until}, handing what it published back to it as the loop does. */
    private void tick(CorrelationStage stage, long from, long until) {
        for (long t = from; t <= until; t += 1_000) {
            stage.onTick(t);
            List<Signal> out = new ArrayList<>(published);
            published.clear();
            out.forEach(stage::onSignal);
        }
    }

    private static Signal modelChange(String service, long time) {
        return Signal.change("model:" + service + "@" + time, "model-deploy", service, service + "-model/production",
                Map.of("model", service + "-model", "version", "1.4.0", "previous", "1.3.0", "alias", "production"),
                time, "model " + service + "-model deployed 1.4.0 to production, replacing 1.3.0");
    }

    @Test
    void aModelChangeWhosePredictionsShiftIsAnIncidentEvenWhenNoDetectorFired() {
        CorrelationStage stage = started();
        series("scorer", "inference.prediction.mean", 0.1, 0.05, T + 20_000, 0.2, T + 300_000);
        series("scorer", "http.latency", 20, 0.05, Long.MAX_VALUE, 0, T + 300_000);
        stage.onSignal(modelChange("scorer", T));
        tick(stage, T, T + 300_000);
        IncidentSnapshot inc = only(stage);
        assertEquals("model-version scorer", order(inc).get(0), order(inc).toString());
        List<String> symptoms = inc.members().stream().filter(m -> m.signal().kind() != Signal.Kind.CHANGE)
                .map(m -> m.signal().subject()).toList();
        assertEquals(List.of("inference.prediction.mean{service=\"scorer\"}"), symptoms, "only the moved series");
        Signal moved = inc.members().stream().filter(m -> m.signal().kind() != Signal.Kind.CHANGE).findFirst()
                .orElseThrow().signal();
        assertEquals("change-check", moved.source());
        assertEquals(T + 20_000, moved.startMillis());
        assertTrue(moved.expectedHigh() < 0.2 && moved.observed() > 0.25, moved.toString());

        // a model change after which nothing moved reports nothing
        CorrelationStage quiet = started();
        series("ranker", "inference.prediction.mean", 0.1, 0.05, Long.MAX_VALUE, 0, T + 300_000);
        quiet.onSignal(modelChange("ranker", T));
        tick(quiet, T, T + 700_000);
        assertTrue(quiet.board().all().isEmpty(), () -> "incidents: " + quiet.board().all());
    }

    @Test
    void aLeakNoDetectorFlaggedIsRankedFromItsSeriesAboveTheLatencyItCauses() {
        CorrelationStage stage = started();
        // the heap climbs from T (no detector flags it); latency and errors follow at T + 60 s
        MetricSeries heap = store.metric("jvm.memory.used", Series.Kind.GAUGE, "By", Map.of("service", "orders"));
        for (long t = T - 2_400_000; t <= T + 240_000; t += STEP) {
            double climb = t < T ? 0 : (t - T) / 240_000.0 * 600e6;
            store.append(heap, t, 400e6 * (1 + 0.02 * rnd.nextGaussian()) + climb);
        }
        series("orders", "http.latency", 20, 0.05, T + 60_000, 60, T + 240_000);
        series("orders", "http.errors", 0.01, 0.05, T + 60_000, 0.2, T + 240_000);
        stage.onSignal(anomaly("orders", "http.latency", T + 60_000, T + 240_000, 0.85, true));
        stage.onSignal(anomaly("orders", "http.errors", T + 60_000, T + 240_000, 0.85, true));
        stage.onTick(T + 241_000);
        IncidentSnapshot inc = only(stage);
        Cause top = inc.causes().get(0);
        assertEquals("jvm-resource", top.kind(), order(inc).toString());
        assertEquals("jvm.memory.used", top.subject());
        assertTrue(top.evidence().stream().anyMatch(e -> e.contains("no detector flagged")), top.evidence().toString());
        assertEquals(2, inc.members().size(), "the measured resource is a candidate, not a member");
    }

    @Test
    void aSaturatedResourceThatBarelyMovedIsNotPreferredToItsService() {
        CorrelationStage stage = started();
        // payment's error rate jumps; a CPU reading inside its normal range is flagged with it
        series("payment", "http.errors", 0.01, 0.05, T, 0.3, T + 120_000);
        series("payment", "process.cpu.usage", 0.3, 0.05, Long.MAX_VALUE, 0, T + 120_000);
        stage.onSignal(anomaly("payment", "process.cpu.usage", T, T + 20_000, 0.85, false));
        stage.onSignal(anomaly("payment", "http.errors", T, T + 120_000, 0.85, true));
        stage.onTick(T + 121_000);
        IncidentSnapshot inc = only(stage);
        assertTrue(!inc.causes().get(0).kind().equals("jvm-resource"), order(inc).toString());

        // the same CPU pinned far above its baseline is the cause
        CorrelationStage pinned = started();
        series("orders", "http.latency", 20, 0.05, T, 60, T + 120_000);
        series("orders", "process.cpu.usage", 0.3, 0.05, T, 0.65, T + 120_000);
        pinned.onSignal(anomaly("orders", "process.cpu.usage", T, T + 120_000, 0.85, true));
        pinned.onSignal(anomaly("orders", "http.latency", T, T + 120_000, 0.85, true));
        pinned.onTick(T + 121_000);
        Cause top = only(pinned).causes().get(0);
        assertEquals("jvm-resource", top.kind(), order(only(pinned)).toString());
        assertEquals("process.cpu.usage", top.subject());
    }
}
