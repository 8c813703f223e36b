package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorrelationStageTest {

    private static final long T = 1_764_270_000_000L;

    static Signal anomaly(String service, String metric, long start, long end, double score, boolean open) {
        return anomaly(metric + "{service=\"" + service + "\"}@" + start, service, metric, start, end, score, open);
    }

    static Signal anomaly(String id, String service, String metric, long start, long end, double score,
                          boolean open) {
        return new Signal(id, Signal.Kind.METRIC_ANOMALY, "sextant", service, metric + "{service=\"" + service + "\"}",
                Map.of("service", service), start, end, score, Severity.of(score), 1.0, 0.0, 0.5, open,
                metric + " on " + service);
    }

    static Signal logAnomaly(String service, String template, String text, long start, boolean open) {
        return new Signal("log:" + service + ":" + template + "@" + start, Signal.Kind.LOG_ANOMALY, "template-rate",
                service, template, Map.of("service", service, "template", template, "templateText", text), start,
                start + 10_000, 0.8, Severity.CRITICAL, 40, 0, 2, open, "errors burst: " + text);
    }

    static Signal deployment(String service, String version, long time) {
        return Signal.change("deploy:" + service + "@" + time, "deploy", service, service + " " + version,
                Map.of("service", service, "version", version), time, "deployed " + service + " " + version);
    }

    private static List<IncidentSnapshot> incidents(CorrelationStage stage) {
        List<IncidentSnapshot> all = new ArrayList<>(stage.board().all());
        all.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis()));
        return all;
    }

    private static IncidentSnapshot only(CorrelationStage stage) {
        List<IncidentSnapshot> all = incidents(stage);
        assertEquals(1, all.size(), () -> "incidents: " + all);
        return all.get(0);
    }

    static Signal agent(String source, String service, String agent, long session, long time) {
        return Signal.change("agent:" + agent + "/" + session, source, service, "agent " + agent,
                Map.of("service", service, "instance", agent, "session", Long.toString(session)), time,
                "agent " + agent + " " + source);
    }

    @Test
    void anAgentRestartStaysACandidateCauseBesideTheSameAgentsFirstStart() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(agent("agent-start", "checkout", "a1", 1, T - 60_000));
        stage.onSignal(agent("agent-restart", "checkout", "a1", 2, T - 5_000));
        stage.onSignal(anomaly("checkout", "jvm.memory.used", T, T + 10_000, 0.95, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(3, inc.members().size(), () -> "members: " + inc.members());
        List<String> changeCauses = inc.causes().stream().filter(c -> c.kind().equals("deployment"))
                .map(c -> c.evidence().get(0)).toList();
        assertEquals(1, changeCauses.size(), () -> "causes: " + inc.causes());
        assertTrue(changeCauses.get(0).contains("agent-restart"), changeCauses.get(0));
    }

    static Signal model(String operation, String version, String previous, long time) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of("model", "m", "version", version,
                "alias", "production", "operation", operation));
        if (previous != null) {
            labels.put("previous", previous);
        }
        return Signal.change("model:m/production@" + time, "model-" + operation, "scoring", "m/production", labels,
                time, "model m " + operation + " " + version);
    }

    @Test
    void aModelsFirstDeploymentIsContextAndItsPromotionACandidateCause() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(model("deploy", "1.0.0", null, T - 120_000));
        stage.onSignal(model("promote", "1.1.0", "1.0.0", T - 10_000));
        stage.onSignal(anomaly("scoring", "sextant.inference.errors", T, T + 10_000, 0.9, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(3, inc.members().size(), () -> "members: " + inc.members());
        List<Cause> models = inc.causes().stream().filter(c -> c.kind().equals("model-version")).toList();
        assertEquals(1, models.size(), () -> "causes: " + inc.causes());
        assertTrue(models.get(0).evidence().get(0).contains("promote 1.1.0"), models.get(0).toString());
    }

    @Test
    void groupsSignalsOfOneServiceCloseInTimeAndSeparatesThoseFarApart() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(anomaly("payment", "http.latency", T, T + 30_000, 0.8, true));
        stage.onSignal(anomaly("payment", "jvm.gc.pause", T + 20_000, T + 40_000, 0.9, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(2, inc.members().size());
        assertTrue(inc.members().get(1).reason().contains("same service payment"), inc.members().get(1).reason());

        // The same service an hour later is another incident.
        stage.onSignal(anomaly("payment", "http.errors", T + 3_600_000, T + 3_630_000, 0.8, true));
        assertEquals(2, incidents(stage).size());
    }

    @Test
    void groupsCallerAndCalleeThroughTheDependencyGraphLearnedFromSpanSeries() {
        CorrelationStage stage = new CorrelationStage();
        SeriesStore store = new SeriesStore(100, 3_600_000, 100);
        stage.onSample(store.metric("sextant.dependency.calls", Series.Kind.COUNTER, "1",
                Map.of("caller", "checkout", "callee", "payment")), T - 60_000, 12);
        stage.onSignal(anomaly("payment", "http.latency", T, T + 30_000, 0.8, true));
        stage.onSignal(anomaly("checkout", "http.latency", T + 15_000, T + 40_000, 0.7, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(List.of("checkout", "payment"), inc.services());
        assertTrue(inc.members().get(1).reason().contains("checkout calls payment"), inc.members().get(1).reason());
    }

    @Test
    void keepsUnrelatedServicesInSeparateIncidents() {
        CorrelationStage stage = new CorrelationStage();
        stage.dependency("checkout", "payment");
        stage.onSignal(anomaly("payment", "http.latency", T, T + 30_000, 0.8, true));
        stage.onSignal(anomaly("search", "http.latency", T + 5_000, T + 30_000, 0.8, true));
        List<IncidentSnapshot> all = incidents(stage);
        assertEquals(2, all.size());
        assertEquals(List.of("payment"), all.get(0).services());
        assertEquals(List.of("search"), all.get(1).services());
    }

    @Test
    void foldsUpdatesOfOneSignalAndRepublishedSubjectsIntoOneMember() {
        CorrelationStage stage = new CorrelationStage();
        Signal first = anomaly("payment", "http.latency", T, T + 10_000, 0.6, true);
        stage.onSignal(first);
        stage.onSignal(anomaly(first.id(), "payment", "http.latency", T, T + 50_000, 0.9, true));
        // The same series anomalous again under a new id (a detector re-opened it).
        stage.onSignal(anomaly("payment", "http.latency", T + 70_000, T + 80_000, 0.7, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(1, inc.members().size());
        assertEquals(2, inc.members().get(0).occurrences());
        assertEquals(T + 80_000, inc.endMillis());
        assertTrue(inc.timeline().stream().anyMatch(e -> e.what().equals("repeated")), inc.timeline().toString());
    }

    @Test
    void resolvesOnlyAfterEveryMemberRecoveredAndTheQuietPeriodPassed() {
        CorrelationStage.Config cfg = new CorrelationStage.Config(300_000, 120_000, 900_000, 1_800_000, 100, 50, 100,
                60_000, 0.8);
        CorrelationStage stage = new CorrelationStage(cfg);
        Signal a = anomaly("payment", "http.latency", T, T + 30_000, 0.8, true);
        Signal b = anomaly("payment", "http.errors", T + 10_000, T + 40_000, 0.8, true);
        stage.onSignal(a);
        stage.onSignal(b);
        stage.onSignal(a.closed(T + 60_000));
        stage.onTick(T + 600_000);
        assertTrue(only(stage).open(), "b is still open");

        stage.onSignal(b.closed(T + 700_000));
        stage.onTick(T + 700_000 + 60_000);
        assertTrue(only(stage).open(), "the quiet period has not passed");
        stage.onTick(T + 700_000 + 120_000);
        IncidentSnapshot inc = only(stage);
        assertEquals("RESOLVED", inc.state());
        assertEquals("resolved", inc.timeline().get(inc.timeline().size() - 1).what());

        // A recurrence after resolution is a new incident.
        stage.onSignal(anomaly("payment", "http.latency", T + 900_000, T + 910_000, 0.8, true));
        assertEquals(2, incidents(stage).size());
    }

    @Test
    void groupsSimilarLogTemplatesAndSharedLabels() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(logAnomaly("orders", "t1", "Connection to db-main refused after <*> ms", T, true));
        stage.onSignal(logAnomaly("billing", "t2", "Connection to db-main refused after <*> ms retrying", T + 5_000, true));
        IncidentSnapshot inc = only(stage);
        assertTrue(inc.members().get(1).reason().contains("log template similar"), inc.members().get(1).reason());

        Signal drift = new Signal("drift:fraud", Signal.Kind.DRIFT, "psi", "scorer", "fraud/2.0/amount",
                Map.of("model", "fraud", "version", "2.0"), T + 7_200_000, T + 7_260_000, 0.9, Severity.CRITICAL,
                0.4, 0, 0.1, true, "feature amount drifted");
        Signal quality = new Signal("quality:fraud", Signal.Kind.QUALITY, "quality", "risk-api", "fraud/2.0/auc",
                Map.of("model", "fraud", "version", "2.0"), T + 7_230_000, T + 7_300_000, 0.8, Severity.CRITICAL,
                0.6, 0.8, 0.9, true, "AUC dropped");
        stage.onSignal(drift);
        stage.onSignal(quality);
        List<IncidentSnapshot> all = incidents(stage);
        assertEquals(2, all.size());
        assertTrue(all.get(1).members().get(1).reason().contains("shares label model=fraud"),
                all.get(1).members().get(1).reason());
    }

    @Test
    void ranksADeploymentJustBeforeTheOnsetFirst() {
        CorrelationStage stage = new CorrelationStage();
        stage.dependency("frontend", "checkout");
        stage.dependency("checkout", "payment");
        stage.onSignal(deployment("payment", "2.4.0", T - 40_000));
        stage.onSignal(deployment("search", "1.1.0", T - 30_000));
        stage.onSignal(anomaly("payment", "http.errors", T, T + 60_000, 0.9, true));
        stage.onSignal(anomaly("checkout", "http.errors", T + 10_000, T + 60_000, 0.8, true));
        stage.onSignal(anomaly("frontend", "http.errors", T + 20_000, T + 60_000, 0.8, true));
        IncidentSnapshot inc = only(stage);
        Cause top = inc.causes().get(0);
        assertEquals("deployment", top.kind(), inc.causes().toString());
        assertEquals("payment", top.service());
        assertTrue(top.evidence().stream().anyMatch(e -> e.contains("40 s before the onset")), top.evidence().toString());
        assertTrue(inc.members().stream().noneMatch(m -> m.signal().service().equals("search")),
                "an unrelated service's deployment is not a member");
        assertTrue(inc.title().contains("deployment"), inc.title());
    }

    @Test
    void ranksTheCalleeThatWentBadFirstAboveItsCallers() {
        CorrelationStage stage = new CorrelationStage();
        stage.dependency("frontend", "checkout");
        stage.dependency("checkout", "inventory");
        stage.dependency("checkout", "payment");
        stage.dependency("payment", "ledger");
        // The callers' symptoms are reported first and are stronger; the callee's onset is still earliest.
        stage.onSignal(anomaly("frontend", "http.latency", T + 20_000, T + 90_000, 0.95, true));
        stage.onSignal(anomaly("checkout", "http.latency", T + 10_000, T + 90_000, 0.9, true));
        stage.onSignal(anomaly("payment", "http.latency", T + 5_000, T + 90_000, 0.85, true));
        stage.onSignal(anomaly("ledger", "http.latency", T, T + 90_000, 0.6, true));
        IncidentSnapshot inc = only(stage);
        List<String> order = new ArrayList<>();
        for (Cause c : inc.causes()) {
            if (c.kind().equals("service")) {
                order.add(c.service());
            }
        }
        assertEquals(List.of("ledger", "payment", "checkout", "frontend"), order, inc.causes().toString());
        assertEquals("ledger", inc.causes().get(0).service(), inc.causes().toString());
        Cause ledger = inc.causes().stream().filter(c -> c.kind().equals("service") && c.service().equals("ledger"))
                .findFirst().orElseThrow();
        assertTrue(ledger.evidence().stream().anyMatch(e -> e.startsWith("explains 3 of 3")), ledger.evidence().toString());
    }

    @Test
    void ranksAJvmResourceAboveTheLatencyItCauses() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(anomaly("payment", "http.latency", T, T + 60_000, 0.9, true));
        stage.onSignal(anomaly("payment", "process.cpu.usage", T + 10_000, T + 60_000, 0.8, true));
        Cause top = only(stage).causes().get(0);
        assertEquals("jvm-resource", top.kind());
        assertEquals("process.cpu.usage", top.subject());
    }

    @Test
    void predictionsMakePredictedIncidentsApartFromAnomalies() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(anomaly("payment", "http.latency", T, T + 60_000, 0.9, true));
        stage.onSignal(new Signal("pred:heap", Signal.Kind.PREDICTED, "forecast", "payment",
                "jvm.memory.heap.used{service=\"payment\"}", Map.of("service", "payment"), T + 5_000, T + 5_000,
                0.7, Severity.WARNING, 900, 0, 1000, true, "heap full in 40 min"));
        List<IncidentSnapshot> all = incidents(stage);
        assertEquals(2, all.size());
        assertFalse(all.get(0).predicted());
        assertTrue(all.get(1).predicted());
        assertTrue(all.get(1).title().startsWith("Predicted"), all.get(1).title());
    }

    @Test
    void aSignalRelatingTwoIncidentsMergesThemUnderTheOlderId() {
        CorrelationStage stage = new CorrelationStage();
        stage.dependency("a", "b");
        stage.dependency("c", "b");
        stage.onSignal(anomaly("a", "http.latency", T, T + 60_000, 0.9, true));
        stage.onSignal(anomaly("c", "http.latency", T + 5_000, T + 60_000, 0.9, true));
        assertEquals(2, incidents(stage).size());
        String olderId = incidents(stage).get(0).id();
        String youngerId = incidents(stage).get(1).id();
        stage.onSignal(anomaly("b", "http.latency", T + 1_000, T + 60_000, 0.9, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(olderId, inc.id());
        assertEquals(3, inc.members().size());
        assertEquals(olderId, stage.board().get(youngerId).id(), "the merged id still resolves");
    }

    @Test
    void theSameSignalsGiveTheSameIncidentIds() {
        List<Signal> signals = List.of(
                anomaly("payment", "http.latency", T, T + 30_000, 0.8, true),
                anomaly("search", "http.latency", T + 1_000, T + 30_000, 0.8, true),
                anomaly("payment", "http.errors", T + 2_000, T + 30_000, 0.8, true));
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (List<String> ids : List.of(first, second)) {
            CorrelationStage stage = new CorrelationStage();
            signals.forEach(stage::onSignal);
            incidents(stage).forEach(i -> ids.add(i.id()));
        }
        assertEquals(2, first.size());
        assertEquals(first, second);
        assertNotEquals(first.get(0), first.get(1));
    }

    @Test
    void holdsAtMostTheConfiguredIncidentsDroppingResolvedOnesFirst() {
        CorrelationStage.Config cfg = new CorrelationStage.Config(60_000, 10_000, 60_000, 600_000, 5, 3, 10, 60_000,
                0.8);
        CorrelationStage stage = new CorrelationStage(cfg);
        Map<Integer, String> firstIds = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            long t = T + i * 3_600_000L;
            Signal s = anomaly("svc" + i, "http.latency", t, t + 1_000, 0.8, false);
            stage.onSignal(s);
            stage.onTick(t + 100_000);
            firstIds.put(i, "svc" + i);
        }
        assertEquals(5, stage.board().size());
        for (int i = 0; i < 10; i++) {
            long t = T + 100 * 3_600_000L;
            stage.onSignal(anomaly("busy", "m" + i, t, t + 1_000, 0.8, true));
        }
        IncidentSnapshot busy = stage.board().find(s -> s.services().contains("busy"), 10).get(0);
        assertEquals(3, busy.members().size());
        assertNotNull(busy.causes());
    }

    @Test
    void aLoneWeakSignalIsHeldBackUntilARelatedSignalOfAnotherSubjectCorroboratesIt() {
        CorrelationStage stage = new CorrelationStage();
        stage.dependency("checkout", "payment");
        stage.onSignal(anomaly("payment", "http.latency", T, T + 10_000, 0.6, true));
        assertEquals(0, stage.board().size(), "a lone weak signal is not an incident yet");
        // The same subject again does not corroborate it.
        stage.onSignal(anomaly("payment", "http.latency", T + 20_000, T + 30_000, 0.6, true));
        assertEquals(0, stage.board().size());
        // A related signal (a caller) of another subject starting within the confirmation time does.
        stage.onSignal(anomaly("checkout", "http.errors", T + 40_000, T + 50_000, 0.55, true));
        IncidentSnapshot inc = only(stage);
        assertEquals(2, inc.members().size(), inc.members().toString());
        assertTrue(inc.timeline().stream().anyMatch(e -> e.what().equals("confirmed")), inc.timeline().toString());

        // Another lone weak signal far away is held back and, uncorroborated, dropped: never an incident.
        long later = T + 3_600_000;
        stage.onSignal(anomaly("search", "http.latency", later, later + 10_000, 0.6, false));
        stage.onTick(later + 600_000);
        assertEquals(1, stage.board().size(), stage.board().all().toString());
        // An unrelated weak signal within the confirmation time does not corroborate it either.
        long third = T + 7_200_000;
        stage.onSignal(anomaly("search", "http.latency", third, third + 10_000, 0.6, false));
        stage.onSignal(anomaly("ledger", "http.latency", third + 10_000, third + 20_000, 0.6, false));
        assertEquals(1, stage.board().size(), stage.board().all().toString());
        // A strong signal is an incident on its own.
        long fourth = T + 10_800_000;
        stage.onSignal(anomaly("ledger", "http.errors", fourth, fourth + 10_000, 0.9, true));
        assertEquals(2, stage.board().size());
    }

    @Test
    void loneWeakSignalsNearAnIncidentDoNotKeepItGoing() {
        CorrelationStage stage = new CorrelationStage();
        stage.onSignal(anomaly("payment", "http.errors", T, T + 60_000, 0.9, true));
        stage.onSignal(anomaly("payment", "http.errors", T, T + 60_000, 0.9, false).closed(T + 60_000));
        // Weak, uncorroborated signals of the same service trickle in every four minutes (detector noise).
        stage.onSignal(anomaly("payment", "jvm.threads", T + 300_000, T + 310_000, 0.6, false));
        stage.onSignal(anomaly("payment", "http.latency", T + 540_000, T + 550_000, 0.6, false));
        stage.onSignal(anomaly("payment", "jvm.gc.time", T + 780_000, T + 790_000, 0.6, false));
        stage.onTick(T + 1_500_000);
        IncidentSnapshot inc = only(stage);
        assertEquals(2, inc.members().size(), "only the first noise signal landed within the window of the errors: "
                + inc.members());
        assertEquals("RESOLVED", inc.state());
        Cause top = inc.causes().get(0);
        assertEquals("payment", top.service());
        assertTrue(top.subject().contains("payment") || top.subject().contains("http.errors"), top.toString());
    }

    @Test
    void theRankingDoesNotDependOnTheOrderTheSignalsArrivedIn() {
        List<Signal> signals = List.of(
                deployment("payment", "2.4.0", T - 40_000),
                anomaly("payment", "http.errors", T, T + 60_000, 0.9, true),
                anomaly("payment", "http.latency", T, T + 60_000, 0.9, true),
                anomaly("checkout", "http.errors", T + 10_000, T + 60_000, 0.8, true),
                anomaly("checkout", "http.latency", T + 10_000, T + 60_000, 0.8, true),
                anomaly("frontend", "http.errors", T + 20_000, T + 60_000, 0.8, true),
                logAnomaly("payment", "t1", "NullPointerException in <*>.handle", T + 10_000, true));
        List<String> reference = null;
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 20; round++) {
            List<Signal> order = new ArrayList<>(signals);
            java.util.Collections.shuffle(order, rnd);
            CorrelationStage stage = new CorrelationStage();
            stage.dependency("frontend", "checkout");
            stage.dependency("checkout", "payment");
            order.forEach(stage::onSignal);
            IncidentSnapshot inc = only(stage);
            List<String> ranked = new ArrayList<>();
            for (Cause c : inc.causes()) {
                ranked.add(c.kind() + " " + c.subject() + " @" + c.service() + " " + c.score());
            }
            if (reference == null) {
                reference = ranked;
                assertEquals("deployment", inc.causes().get(0).kind(), ranked.toString());
            } else {
                assertEquals(reference, ranked, "arrival order " + order);
            }
        }
    }

    @Test
    void oneDeploymentOfSeveralInstancesIsOneCandidateAboveItsService() {
        CorrelationStage stage = new CorrelationStage();
        stage.dependency("checkout", "payment");
        stage.onSignal(Signal.change("agent:a/2", "agent-restart", "payment", "agent a", Map.of("service", "payment",
                "instance", "a"), T - 20_000, "payment instance a restarted"));
        stage.onSignal(Signal.change("agent:b/2", "agent-restart", "payment", "agent b", Map.of("service", "payment",
                "instance", "b"), T - 10_000, "payment instance b restarted"));
        // A routine restart of a service that is not affected, just as close: not a candidate.
        stage.onSignal(Signal.change("agent:c/2", "agent-restart", "search", "agent c", Map.of("service", "search",
                "instance", "c"), T - 10_000, "search restarted"));
        stage.onSignal(anomaly("payment", "http.errors", T, T + 60_000, 0.9, true));
        stage.onSignal(logAnomaly("payment", "t1", "NullPointerException in <*>.handle", T - 20_000, true));
        stage.onSignal(anomaly("checkout", "http.errors", T + 10_000, T + 60_000, 0.8, true));
        IncidentSnapshot inc = only(stage);
        List<Cause> deployments = inc.causes().stream().filter(c -> c.kind().equals("deployment")).toList();
        assertEquals(1, deployments.size(), inc.causes().toString());
        assertEquals("payment", deployments.get(0).service());
        assertTrue(deployments.get(0).evidence().stream().anyMatch(e -> e.startsWith("2 instances")),
                deployments.get(0).evidence().toString());
        assertEquals(deployments.get(0), inc.causes().get(0), "the deployment ranks first: " + inc.causes());
        assertEquals("service", inc.causes().get(1).kind(), inc.causes().toString());
    }

    @Test
    void refusesAWindowOrQuietPeriodThatIsNotPositive() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CorrelationStage.Config.DEFAULT.with(0, 180_000, 60_000));
        assertTrue(e.getMessage().contains("window 0 ms"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CorrelationStage.Config.DEFAULT.with(300_000, -1, 60_000));
        assertEquals(120_000, CorrelationStage.Config.DEFAULT.with(120_000, 60_000, 0).windowMillis());
    }
}
