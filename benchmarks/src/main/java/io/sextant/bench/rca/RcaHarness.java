package io.sextant.bench.rca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sextant.collector.Collector;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.config.CollectorConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The {@code rca} harness (see {@code BENCHMARKS.md}). Starts a real collector (temporary journal, loopback
 * ports, default settings), drives the {@link Simulator} through its agent ingest and its OTLP/HTTP receiver, lets
 * the collector's own analysis stages detect (metric anomalies, log templates, model events, agent restarts) and
 * correlate, then
 * reads {@code /api/v1/incidents} and {@code /api/v1/incidents/ID/causes} over HTTP and scores them against the
 * scenario labels: AC@1, AC@3, Avg@5 of the ranking (and of a seeded random ordering of the same candidates),
 * alerts per incident (noise reduction = 1 - incidents / alerts) and incident purity.
 *
 * <p>Usage: {@code RcaHarness [--out DIR] [--quick] [--seed N] [--scenarios N]}.
 */
public final class RcaHarness {

    private static final long MINUTE = 60_000;
    /** Fault-free minutes before the first scenario: the detectors' false alarms settle within three to four hours. */
    private static final int WARM_UP_MINUTES = 240;

    private RcaHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("benchmarks/results");
        boolean quick = false;
        long seed = 42;
        int scenarios = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--scenarios" -> scenarios = Integer.parseInt(args[++i]);
                case "--data" -> i++; // no dataset: the scenarios are simulated
                default -> {
                    System.err.println("unknown argument '" + args[i]
                            + "'; usage: RcaHarness [--out DIR] [--quick] [--seed N] [--scenarios N]");
                    System.exit(2);
                }
            }
        }
        if (scenarios < 0) {
            scenarios = quick ? 6 : 120;
        }
        Map<String, Object> summary = run(seed, scenarios, quick);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(out);
        String json = mapper.writeValueAsString(summary);
        Files.writeString(out.resolve("rca.json"), json);
        System.out.println(json);
    }

    static Map<String, Object> run(long seed, int count, boolean quick) throws Exception {
        Path dir = Files.createTempDirectory("sextant-rca");
        long wallStart = System.nanoTime();
        Collector collector = new Collector(CollectorConfig.of(Map.of("data-dir", dir.toString(), "ingest-port", "0",
                "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1")), m -> System.err.println("collector: " + m)).start();
        try {
            // Simulated time starts now and runs far faster than the wall clock, so it stays ahead of it.
            long t0 = (System.currentTimeMillis() / Simulator.STEP_MILLIS + 1) * Simulator.STEP_MILLIS;
            Simulator sim = new Simulator(seed, collector.ingestPort(), collector.otlpPort());
            Random rnd = sim.random();
            // The detectors learn each series' normal first: a fault-free warm-up (the probationary period, as NAB
            // has one), whose alerts and incidents are not scored.
            long warmUpEnd = t0 + (quick ? 20 : WARM_UP_MINUTES) * MINUTE;
            List<Scenario> plan = plan(rnd, count, warmUpEnd);
            for (Scenario s : plan) {
                // A routine restart of some healthy service: between faults, or (sometimes) just before one.
                double r = rnd.nextDouble();
                if (r < 0.3) {
                    sim.scheduleRestart(Simulator.SERVICES[rnd.nextInt(Simulator.SERVICES.length)],
                            align(s.start() - (12 + rnd.nextInt(4)) * MINUTE));
                } else if (r < 0.45) {
                    String other;
                    do {
                        other = Simulator.SERVICES[rnd.nextInt(Simulator.SERVICES.length)];
                    } while (other.equals(s.service()));
                    sim.scheduleRestart(other, align(s.start() - (1 + rnd.nextInt(4)) * MINUTE));
                }
            }
            sim.connect(t0);
            long end = plan.get(plan.size() - 1).end() + 15 * MINUTE;
            int next = 0;
            long steps = 0;
            for (long t = t0; t < end; t += Simulator.STEP_MILLIS) {
                while (next < plan.size() && plan.get(next).start() <= t) {
                    sim.activate(plan.get(next++));
                }
                sim.step(t);
                // Every instance's step is journaled before the next step is sent, so that records reach the
                // analysis in event-time order across connections to within one step, as real agents sending as
                // they go do (sent far ahead, one connection could lag the others by minutes of event time, and
                // the stages' event-time windows close before its records arrive).
                sim.syncAgents();
                if (++steps % 60 == 0) {
                    sim.sync();
                }
                if (steps % 1800 == 0) {
                    System.err.printf("rca: %d of %d scenarios sent, %.0f s; analysis processed %d records, %d signals%n",
                            next, plan.size(), (System.nanoTime() - wallStart) / 1e9, collector.analysis().processed(),
                            collector.signals().published());
                }
            }
            sim.sync();
            long sentNanos = System.nanoTime() - wallStart;
            awaitAnalysis(collector);
            long analysedNanos = System.nanoTime() - wallStart;

            List<Signal> alerts = collector.signals().find(s -> s.kind() != Signal.Kind.CHANGE
                    && s.kind() != Signal.Kind.PREDICTED, Integer.MAX_VALUE);
            List<Incident> incidents = fetchIncidents(collector.httpPort());
            Map<String, Object> results = score(plan, alerts, incidents, seed, warmUpEnd);
            String dump = System.getProperty("sextant.rca.dump");
            if (dump != null) {
                dump(Path.of(dump), plan, collector.signals().find(s -> true, Integer.MAX_VALUE), incidents, t0);
            }
            sim.close();

            Map<String, Object> root = new LinkedHashMap<>();
            root.put("harness", "rca");
            root.put("commit", System.getProperty("sextant.bench.commit", "unknown"));
            root.put("jdk", System.getProperty("java.version"));
            root.put("cores", Runtime.getRuntime().availableProcessors());
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("seed", seed);
            params.put("scenarios", plan.size());
            params.put("quick", quick);
            params.put("services", Simulator.SERVICES.length);
            params.put("instancesPerService", Simulator.INSTANCES);
            params.put("edges", Simulator.EDGES.length);
            params.put("stepSeconds", Simulator.STEP_MILLIS / 1000);
            params.put("warmUpMinutes", (warmUpEnd - t0) / MINUTE);
            params.put("warmUpAlertsLeftOut", alerts.stream().filter(a -> a.startMillis() < warmUpEnd).count());
            params.put("simulatedSteps", steps);
            params.put("samplesSent", sim.samplesSent());
            params.put("logsSent", sim.logsSent());
            params.put("otlpTraceRequests", sim.spanRequests());
            params.put("otlpRetriesOnBackPressure", sim.spanRetries());
            params.put("signalSource", "the collector's own analysis stages as it runs by default (metric anomalies,"
                    + " log templates, models, correlation), fed through its agent ingest and OTLP receiver");
            params.put("predictedIncidentsLeftOut", predicted);
            params.put("analysisStageErrors", collector.analysis().stageErrors());
            params.put("sendSeconds", sentNanos / 1e9);
            params.put("totalSeconds", analysedNanos / 1e9);
            root.put("params", params);
            root.put("results", results);
            root.put("reference", Map.of("random", results.get("random")));
            Map<String, Object> ratio = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> random = (Map<String, Object>) results.get("random");
            for (String k : List.of("ac_at_1", "ac_at_3", "avg_at_5")) {
                double ref = ((Number) random.get(k)).doubleValue();
                ratio.put(k, ref == 0 ? null : ((Number) results.get(k)).doubleValue() / ref);
            }
            root.put("ratio", ratio);
            return root;
        } finally {
            collector.close();
            deleteTree(dir);
        }
    }

    /** Writes every signal with its scenario class and incident, for looking into a run. */
    private static void dump(Path file, List<Scenario> plan, List<Signal> signals, List<Incident> incidents, long t0)
            throws IOException {
        Map<String, String> incidentOf = new HashMap<>();
        for (Incident inc : incidents) {
            for (Signal s : inc.members()) {
                incidentOf.put(s.id(), inc.id());
            }
        }
        StringBuilder b = new StringBuilder();
        for (Scenario sc : plan) {
            b.append(String.format("# scenario %d %s %s %d..%d%n", sc.index(), sc.fault(), sc.service(),
                    (sc.start() - t0) / 1000, (sc.end() - t0) / 1000));
        }
        List<Signal> sorted = new ArrayList<>(signals);
        sorted.sort(Comparator.comparingLong(Signal::startMillis));
        for (Signal s : sorted) {
            b.append(String.format("%d\t%d\t%s\t%s\t%s\t%.2f\tclass=%d\t%s\t%s\t%.4g\t%.4g\t%.4g%n",
                    (s.startMillis() - t0) / 1000, (s.endMillis() - t0) / 1000, s.kind(), s.service(), s.subject(),
                    s.score(), classOf(s, plan), incidentOf.get(s.id()), (s.open() ? "open " : "closed ")
                    + s.summary(), s.observed(), s.expectedLow(), s.expectedHigh()));
        }
        Files.writeString(file, b.toString());
    }

    private static long align(long t) {
        return t - Math.floorMod(t, Simulator.STEP_MILLIS);
    }

    /** Scenarios cycle through the fault kinds; the service and timing are drawn from the seed. */
    static List<Scenario> plan(Random rnd, int count, long firstSlot) {
        List<Scenario> plan = new ArrayList<>();
        Fault[] kinds = Fault.values();
        List<Fault> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(kinds[i % kinds.length]);
        }
        Collections.shuffle(order, rnd);
        long slot = firstSlot;
        for (int i = 0; i < count; i++) {
            Fault f = order.get(i);
            String service;
            if (f == Fault.MODEL_DRIFT) {
                service = rnd.nextBoolean() ? "fraud-scorer" : "recommend";
            } else {
                service = Simulator.SERVICES[rnd.nextInt(Simulator.SERVICES.length)];
            }
            long start = align(slot + (2 + rnd.nextInt(3)) * MINUTE);
            long end = align(start + (3 + rnd.nextInt(4)) * MINUTE);
            plan.add(new Scenario(i, f, service, start, end, Simulator.affected(service)));
            slot += 28 * MINUTE;
        }
        return plan;
    }

    private static void awaitAnalysis(Collector collector) throws InterruptedException {
        long lastProgress = System.nanoTime();
        long lastProcessed = -1;
        long lastPublished = -1;
        int stable = 0;
        while (true) {
            @SuppressWarnings("unchecked")
            Map<String, Object> journal = (Map<String, Object>) collector.status().get("journal");
            long lag = ((Number) journal.get("lagRecords")).longValue();
            boolean drained = lag == 0 && collector.analysis().backlogBytes() == 0;
            long published = collector.signals().published();
            long processed = collector.analysis().processed();
            stable = drained && published == lastPublished ? stable + 1 : 0;
            if (processed != lastProcessed || published != lastPublished) {
                lastProgress = System.nanoTime();
            }
            lastPublished = published;
            lastProcessed = processed;
            if (stable >= 3) {
                return;
            }
            if (System.nanoTime() - lastProgress > 120_000_000_000L) {
                throw new IllegalStateException("the collector's analysis made no progress for 2 minutes (journal lag "
                        + lag + " records, analysis backlog " + collector.analysis().backlogBytes() + " bytes)");
            }
            Thread.sleep(200);
        }
    }

    record Cause(String kind, String subject, String service, double score) {
    }

    record Incident(String id, List<Signal> members, List<Cause> causes) {
    }

    /** Predicted incidents the last fetch left out. */
    private static int predicted;

    private static List<Incident> fetchIncidents(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode list = get(http, mapper, port, "/api/v1/incidents?state=all&limit=10000");
        List<Incident> out = new ArrayList<>();
        predicted = 0;
        for (JsonNode summary : list) {
            String id = summary.get("id").asText();
            if (summary.path("predicted").asBoolean(false)) {
                // a forecast, not an alert: the alert count leaves PREDICTED signals out, so the incidents do too
                predicted++;
                continue;
            }
            String path = "/api/v1/incidents/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
            JsonNode detail = get(http, mapper, port, path);
            List<Signal> members = new ArrayList<>();
            for (JsonNode m : detail.get("members")) {
                JsonNode s = m.get("signal");
                members.add(new Signal(s.get("id").asText(), Signal.Kind.valueOf(s.get("kind").asText()),
                        s.get("source").asText(), s.get("service").asText(), s.get("subject").asText(), Map.of(),
                        Math.round(s.get("start").asDouble() * 1000), Math.round(s.get("end").asDouble() * 1000),
                        s.get("score").asDouble(), io.sextant.collector.analysis.anomaly.Severity.valueOf(
                        s.get("severity").asText()), Double.NaN, Double.NaN, Double.NaN, s.get("open").asBoolean(),
                        ""));
            }
            List<Cause> causes = new ArrayList<>();
            for (JsonNode c : get(http, mapper, port, path + "/causes")) {
                causes.add(new Cause(c.get("kind").asText(), c.get("subject").asText(), c.get("service").asText(),
                        c.get("score").asDouble()));
            }
            out.add(new Incident(id, members, causes));
        }
        return out;
    }

    private static JsonNode get(HttpClient http, ObjectMapper mapper, int port, String path)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = mapper.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.get("data");
    }

    /** Which scenario a signal belongs to (-1: none, a false alarm or a routine restart). Scorer only. */
    private static int classOf(Signal s, List<Scenario> plan) {
        for (Scenario sc : plan) {
            if (s.startMillis() >= sc.start() - MINUTE && s.startMillis() <= sc.end() + 10 * MINUTE
                    && sc.affected().contains(s.service())) {
                return sc.index();
            }
        }
        return -1;
    }

    /**
     * Scores the incidents against the plan. Alerts starting in the warm-up, and incidents whose first symptom
     * came in it, are left out of the noise and purity figures (they still count for the scenarios they cover).
     */
    static Map<String, Object> score(List<Scenario> plan, List<Signal> allAlerts, List<Incident> incidents, long seed,
                                     long warmUpEnd) {
        List<Signal> alerts = allAlerts.stream().filter(a -> a.startMillis() >= warmUpEnd).toList();
        int counted = 0;
        long members = 0;
        long majority = 0;
        int noiseIncidents = 0;
        Map<Integer, Map<Incident, Integer>> byScenario = new HashMap<>();
        for (Incident inc : incidents) {
            Map<Integer, Integer> classes = new HashMap<>();
            for (Signal s : inc.members()) {
                if (s.kind() == Signal.Kind.CHANGE) {
                    continue;
                }
                int c = classOf(s, plan);
                classes.merge(c, 1, Integer::sum);
                if (c >= 0) {
                    byScenario.computeIfAbsent(c, k -> new HashMap<>()).merge(inc, 1, Integer::sum);
                }
            }
            long first = inc.members().stream().filter(s -> s.kind() != Signal.Kind.CHANGE)
                    .mapToLong(Signal::startMillis).min().orElse(Long.MAX_VALUE);
            if (first < warmUpEnd) {
                continue;
            }
            counted++;
            int n = classes.values().stream().mapToInt(Integer::intValue).sum();
            members += n;
            majority += classes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (classes.keySet().stream().allMatch(c -> c < 0)) {
                noiseIncidents++;
            }
        }
        Random shuffle = new Random(seed ^ 0xC0FFEE);
        int[] ranks = new int[plan.size()];
        int[] randomRanks = new int[plan.size()];
        int[] serviceRanks = new int[plan.size()];
        Map<Fault, int[]> perFault = new LinkedHashMap<>();
        int detected = 0;
        List<Map<String, Object>> details = new ArrayList<>();
        for (Scenario sc : plan) {
            Map<Incident, Integer> candidates = byScenario.getOrDefault(sc.index(), Map.of());
            Incident inc = candidates.entrySet().stream().max(Map.Entry.<Incident, Integer>comparingByValue()
                    .thenComparing(e -> e.getKey().id(), Comparator.reverseOrder())).map(Map.Entry::getKey).orElse(null);
            int rank = Integer.MAX_VALUE;
            int randomRank = Integer.MAX_VALUE;
            int serviceRank = Integer.MAX_VALUE;
            if (inc != null) {
                detected++;
                rank = rankOf(sc, inc.causes());
                List<Cause> shuffled = new ArrayList<>(inc.causes());
                Collections.shuffle(shuffled, shuffle);
                randomRank = rankOf(sc, shuffled);
                for (int i = 0; i < inc.causes().size(); i++) {
                    if (inc.causes().get(i).service().equals(sc.service())) {
                        serviceRank = i + 1;
                        break;
                    }
                }
            }
            ranks[sc.index()] = rank;
            randomRanks[sc.index()] = randomRank;
            serviceRanks[sc.index()] = serviceRank;
            int[] pf = perFault.computeIfAbsent(sc.fault(), k -> new int[3]);
            pf[0]++;
            pf[1] += rank <= 1 ? 1 : 0;
            pf[2] += rank <= 3 ? 1 : 0;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("scenario", sc.index());
            d.put("fault", sc.fault().name());
            d.put("service", sc.service());
            d.put("incident", inc == null ? null : inc.id());
            d.put("rank", rank == Integer.MAX_VALUE ? null : rank);
            d.put("top", inc == null || inc.causes().isEmpty() ? null : inc.causes().get(0).kind() + " "
                    + inc.causes().get(0).subject() + " @" + inc.causes().get(0).service());
            if (inc != null && rank > 1) {
                List<String> top = new ArrayList<>();
                for (int i = 0; i < Math.min(5, inc.causes().size()); i++) {
                    Cause c = inc.causes().get(i);
                    top.add(String.format(java.util.Locale.ROOT, "%s %s @%s %.3f", c.kind(), c.subject(), c.service(),
                            c.score()));
                }
                d.put("causes", top);
            }
            details.add(d);
        }
        double noiseReduction = alerts.isEmpty() ? 0 : 1.0 - counted / (double) alerts.size();
        double purity = members == 0 ? 0 : majority / (double) members;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("ac_at_1", ac(ranks, 1));
        results.put("ac_at_3", ac(ranks, 3));
        results.put("avg_at_5", avg5(ranks));
        results.put("noise_reduction", noiseReduction);
        results.put("purity", purity);
        Map<String, Object> random = new LinkedHashMap<>();
        random.put("ac_at_1", ac(randomRanks, 1));
        random.put("ac_at_3", ac(randomRanks, 3));
        random.put("avg_at_5", avg5(randomRanks));
        random.put("noise_reduction", noiseReduction);
        random.put("purity", purity);
        results.put("random", random);
        results.put("service_ac_at_1", ac(serviceRanks, 1));
        results.put("service_ac_at_3", ac(serviceRanks, 3));
        results.put("alerts", alerts.size());
        results.put("incidents", counted);
        results.put("noise_incidents", noiseIncidents);
        results.put("alerts_per_incident", counted == 0 ? 0 : alerts.size() / (double) counted);
        results.put("scenarios_detected", detected);
        Map<String, Object> pf = new LinkedHashMap<>();
        for (Map.Entry<Fault, int[]> e : perFault.entrySet()) {
            int[] v = e.getValue();
            pf.put(e.getKey().name(), Map.of("scenarios", v[0], "ac_at_1", v[1] / (double) v[0],
                    "ac_at_3", v[2] / (double) v[0]));
        }
        results.put("per_fault", pf);
        results.put("scenario_details", details);
        return results;
    }

    private static int rankOf(Scenario sc, List<Cause> causes) {
        for (int i = 0; i < causes.size(); i++) {
            Cause c = causes.get(i);
            if (sc.fault().matches(sc.service(), c.kind(), c.service(), c.subject())) {
                return i + 1;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static double ac(int[] ranks, int k) {
        int hit = 0;
        for (int r : ranks) {
            hit += r <= k ? 1 : 0;
        }
        return ranks.length == 0 ? 0 : hit / (double) ranks.length;
    }

    private static double avg5(int[] ranks) {
        double sum = 0;
        for (int k = 1; k <= 5; k++) {
            sum += ac(ranks, k);
        }
        return sum / 5;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
