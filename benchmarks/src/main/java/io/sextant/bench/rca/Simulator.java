package io.sextant.bench.rca;

import com.google.protobuf.ByteString;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.ModelEventKind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A seeded simulation of a 12-service shop (two instances each) on a 10 s step: JVM metrics (CPU, heap, GC
 * time, threads, under the agent's series names), HTTP metrics (latency p99, error rate, request rate), inference
 * metrics on the two model-serving services, business metrics, logs, model events and a sampled trace along the call graph every minute.
 * Latency and errors propagate from callees to callers. One fault at a time is injected; routine restarts of
 * healthy services happen in between (and sometimes just before a fault, as a decoy). Single-threaded.
 */
final class Simulator {

    static final long STEP_MILLIS = 10_000;

    static final String[] SERVICES = {"frontend", "catalog", "cart", "checkout", "search", "recommend", "payment",
            "ledger", "shipping", "inventory", "fraud-scorer", "session-store"};
    static final String[][] EDGES = {{"frontend", "catalog"}, {"frontend", "cart"}, {"frontend", "checkout"},
            {"frontend", "search"}, {"frontend", "recommend"}, {"checkout", "cart"}, {"checkout", "payment"},
            {"checkout", "shipping"}, {"checkout", "inventory"}, {"checkout", "fraud-scorer"}, {"payment", "ledger"},
            {"cart", "session-store"}, {"search", "catalog"}, {"recommend", "catalog"}, {"shipping", "inventory"}};
    static final Map<String, String> MODELS = Map.of("fraud-scorer", "fraud", "recommend", "ranker");
    static final int INSTANCES = 2;
    /** One sampled trace along the whole call graph a minute. */
    static final int TRACE_EVERY_STEPS = 6;

    /** One series as an agent defines it. */
    record SeriesDef(String name, boolean counter, String unit, String[] labelKeys, String[] labelValues) {
        static SeriesDef gauge(String name, String unit) {
            return new SeriesDef(name, false, unit, new String[0], new String[0]);
        }
    }

    /**
     * The JVM series under the names and kinds the Sextant agent sends them (CPU share of the process, heap area
     * used, cumulative GC time as a counter, live threads), then the application's HTTP metrics.
     */
    private static final List<SeriesDef> BASE_SERIES = List.of(SeriesDef.gauge("jvm.cpu.process", "1"),
            new SeriesDef("jvm.memory.area.used", false, "bytes", new String[] {"area"}, new String[] {"heap"}),
            new SeriesDef("jvm.gc.time", true, "ms", new String[0], new String[0]),
            SeriesDef.gauge("jvm.threads.live", "1"), SeriesDef.gauge("http.server.latency.p99", "ms"),
            SeriesDef.gauge("http.server.error.rate", "1"), SeriesDef.gauge("http.server.requests", "1/s"));

    private final Random rnd;
    private final Map<String, Svc> services = new HashMap<>();
    private final Map<String, List<String>> callees = new HashMap<>();
    private final SpanSender spans;
    private Scenario active;
    private double magnitude;
    private final List<long[]> restarts = new ArrayList<>();
    private final List<String> restartServices = new ArrayList<>();
    private long logsSent;
    private long samplesSent;

    private final class Svc {
        final String name;
        final double ownLatency;
        final double cpu;
        final double heapMb;
        final double heapMaxMb;
        final double gc;
        final double threads;
        final double rps;
        final List<SeriesDef> series = new ArrayList<>(BASE_SERIES);
        final SimAgent[] agents = new SimAgent[INSTANCES];
        final double[] gcTotal = new double[INSTANCES];
        final double[] latency = new double[INSTANCES];
        final double[] errors = new double[INSTANCES];
        final double[] ownErrors = new double[INSTANCES];
        int version = 1;
        int modelVersion = 1;
        double meanLatency;
        double meanErrors;
        double predictionShift;

        Svc(String name, int port) {
            this.name = name;
            this.ownLatency = 5 + rnd.nextDouble() * 35;
            this.cpu = 0.15 + rnd.nextDouble() * 0.3;
            this.heapMb = 200 + rnd.nextDouble() * 600;
            this.heapMaxMb = heapMb * 2.5;
            this.gc = 3 + rnd.nextDouble() * 9;
            this.threads = 40 + rnd.nextInt(80);
            this.rps = 20 + rnd.nextDouble() * 180;
            if (MODELS.containsKey(name)) {
                series.add(SeriesDef.gauge("inference.prediction.mean", "1"));
                series.add(SeriesDef.gauge("inference.latency.p99", "ms"));
            }
            if (name.equals("checkout")) {
                series.add(SeriesDef.gauge("orders.declined.rate", "1"));
            }
            if (name.equals("frontend")) {
                series.add(SeriesDef.gauge("recommend.click.rate", "1"));
            }
            for (int i = 0; i < INSTANCES; i++) {
                agents[i] = new SimAgent(port, UUID.nameUUIDFromBytes(("sim|" + name + "|" + i).getBytes()), name);
                gcTotal[i] = 1000 * rnd.nextInt(36_000);
            }
        }
    }

    Simulator(long seed, int ingestPort, int otlpPort) {
        this.rnd = new Random(seed);
        this.spans = new SpanSender(otlpPort, new Random(seed ^ 0x5EED));
        for (String s : SERVICES) {
            services.put(s, new Svc(s, ingestPort));
            callees.put(s, new ArrayList<>());
        }
        for (String[] e : EDGES) {
            callees.get(e[0]).add(e[1]);
        }
    }

    Random random() {
        return rnd;
    }

    /** Every service that reaches {@code service} through calls, and the service itself. */
    static Set<String> affected(String service) {
        Set<String> out = new LinkedHashSet<>();
        out.add(service);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String[] e : EDGES) {
                if (out.contains(e[1]) && out.add(e[0])) {
                    grew = true;
                }
            }
        }
        return out;
    }

    void connect(long now) throws IOException {
        for (Svc s : services.values()) {
            for (SimAgent a : s.agents) {
                a.connect(now, s.name + "-" + s.version, s.series);
            }
        }
    }

    /** A routine restart of a healthy service at {@code time} (both instances, one step apart). */
    void scheduleRestart(String service, long time) {
        restarts.add(new long[] {time});
        restartServices.add(service);
    }

    void activate(Scenario scenario) {
        active = scenario;
        magnitude = 0.5 + rnd.nextDouble() * 0.5;
    }

    /** Emits one step of everything at simulated time {@code t}. */
    void step(long t) throws IOException, InterruptedException {
        Scenario f = active != null && t >= active.start() && t < active.end() ? active : null;
        double progress = f == null ? 0 : (t - f.start()) / (double) (f.end() - f.start());
        for (int i = 0; i < restarts.size(); i++) {
            if (restarts.get(i)[0] == t) {
                restart(services.get(restartServices.get(i)), t, false);
            }
        }
        if (f != null && t == f.start()) {
            Svc s = services.get(f.service());
            if (f.fault() == Fault.BAD_DEPLOYMENT) {
                restart(s, t, true);
            } else if (f.fault() == Fault.MODEL_DRIFT) {
                s.modelVersion++;
                String model = MODELS.get(s.name);
                for (SimAgent a : s.agents) {
                    a.modelEvent(new ModelEvent(t, ModelEventKind.DEPLOY, model, "1." + s.modelVersion + ".0",
                            "production", "1." + (s.modelVersion - 1) + ".0", "", new byte[0], new byte[0], Map.of(),
                            Map.of()));
                }
            }
        }
        Map<String, Boolean> done = new HashMap<>();
        for (String name : SERVICES) {
            compute(services.get(name), f, progress, t, done);
        }
        for (String name : SERVICES) {
            emit(services.get(name), f, progress, t);
        }
        for (Svc s : services.values()) {
            for (SimAgent a : s.agents) {
                a.flush();
            }
        }
        if ((t / STEP_MILLIS) % TRACE_EVERY_STEPS == 0) {
            ByteString trace = spans.traceId();
            span(services.get("frontend"), trace, null, t, 0);
        }
        if (spans.pendingSpans() > 400) {
            spans.flush();
        }
    }

    private void restart(Svc s, long t, boolean newVersion) throws IOException {
        if (newVersion) {
            s.version++;
        }
        for (int i = 0; i < INSTANCES; i++) {
            s.agents[i].sync();
            s.agents[i].connect(t, s.name + "-" + s.version, s.series);
            s.gcTotal[i] = 0; // a new JVM counts its GC time from zero
        }
    }

    private void compute(Svc s, Scenario f, double p, long t, Map<String, Boolean> done) {
        if (done.containsKey(s.name)) {
            return;
        }
        done.put(s.name, Boolean.TRUE);
        double callLatency = 0;
        double callErrors = 0;
        for (String c : callees.get(s.name)) {
            Svc callee = services.get(c);
            compute(callee, f, p, t, done);
            callLatency += 0.5 * callee.meanLatency;
            callErrors = Math.max(callErrors, 0.5 * callee.meanErrors);
        }
        boolean mine = f != null && f.service().equals(s.name);
        double latencySum = 0;
        double errorSum = 0;
        for (int i = 0; i < INSTANCES; i++) {
            double own = s.ownLatency * (1 + 0.05 * rnd.nextGaussian());
            double err = Math.max(0, 0.002 + 0.0005 * rnd.nextGaussian());
            if (mine) {
                switch (f.fault()) {
                    case CPU_SATURATION -> own *= i == 0 ? 2 + 2 * magnitude : 1;
                    case MEMORY_LEAK -> own *= i == 0 ? 1 + gcPause(s, p, 0) / 40 : 1;
                    case SLOW_DEPENDENCY -> own += 200 + 600 * magnitude;
                    case ERROR_BURST -> err += 0.1 + 0.3 * magnitude;
                    case BAD_DEPLOYMENT -> {
                        if (t - f.start() >= STEP_MILLIS * 2) {
                            err += 0.05 + 0.15 * magnitude;
                            own *= 1.5 + magnitude;
                        }
                    }
                    default -> {
                    }
                }
            }
            s.ownErrors[i] = err;
            s.latency[i] = own + callLatency;
            s.errors[i] = Math.min(1, err + callErrors);
            latencySum += s.latency[i];
            errorSum += s.errors[i];
        }
        s.meanLatency = latencySum / INSTANCES;
        s.meanErrors = errorSum / INSTANCES;
        s.predictionShift = mine && f.fault() == Fault.MODEL_DRIFT ? (0.15 + 0.2 * magnitude) * Math.min(1, p * 4) : 0;
    }

    private double gcPause(Svc s, double p, int instance) {
        double frac = heapFraction(s, p, instance);
        double over = Math.max(0, (frac - 0.7) / 0.3);
        return s.gc + 500 * over * over;
    }

    private double heapFraction(Svc s, double p, int instance) {
        if (active == null || p <= 0 || instance != 0 || !active.service().equals(s.name)
                || active.fault() != Fault.MEMORY_LEAK) {
            return s.heapMb / s.heapMaxMb;
        }
        double base = s.heapMb / s.heapMaxMb;
        return base + (0.97 - base) * Math.min(1, p * 1.3);
    }

    private void emit(Svc s, Scenario f, double p, long t) throws IOException {
        boolean mine = f != null && f.service().equals(s.name);
        for (int i = 0; i < INSTANCES; i++) {
            SimAgent a = s.agents[i];
            double cpu = s.cpu * (1 + 0.05 * rnd.nextGaussian()) + 0.01 * rnd.nextGaussian();
            double heapFrac = s.heapMb / s.heapMaxMb;
            double gc = s.gc * (1 + 0.1 * rnd.nextGaussian());
            double threads = s.threads + rnd.nextInt(5) - 2;
            if (mine && f.fault() == Fault.CPU_SATURATION && i == 0) {
                cpu = 0.9 + 0.08 * magnitude + 0.01 * rnd.nextGaussian();
            }
            if (mine && f.fault() == Fault.MEMORY_LEAK && i == 0) {
                heapFrac = heapFraction(s, p, i);
                gc = gcPause(s, p, i) * (1 + 0.1 * rnd.nextGaussian());
                cpu += 0.4 * Math.max(0, (heapFrac - 0.7) / 0.3);
            }
            if (mine && f.fault() == Fault.SLOW_DEPENDENCY) {
                threads += 20 + 40 * magnitude;
            }
            double heap = heapFrac * s.heapMaxMb * (1 + 0.02 * rnd.nextGaussian());
            double rps = s.rps * (1 + 0.05 * rnd.nextGaussian()) * (1 - 0.5 * s.errors[i]);
            a.beginMetrics(t);
            a.sample(0, t, Math.min(1, Math.max(0, cpu)));
            a.sample(1, t, heap * 1_048_576.0);
            // gc is milliseconds of collection per second of run time; the counter accumulates them
            s.gcTotal[i] += Math.max(0, gc) * STEP_MILLIS / 1000.0;
            a.sample(2, t, s.gcTotal[i]);
            a.sample(3, t, threads);
            a.sample(4, t, s.latency[i] * (1 + 0.05 * rnd.nextGaussian()));
            a.sample(5, t, s.errors[i]);
            a.sample(6, t, rps);
            int n = 7;
            if (MODELS.containsKey(s.name)) {
                a.sample(n++, t, 0.1 + s.predictionShift + 0.01 * rnd.nextGaussian());
                a.sample(n++, t, 12 * (1 + 0.05 * rnd.nextGaussian()));
            }
            if (s.name.equals("checkout")) {
                double shift = services.get("fraud-scorer").predictionShift;
                a.sample(n++, t, Math.max(0, 0.02 + 0.8 * shift + 0.003 * rnd.nextGaussian()));
            }
            if (s.name.equals("frontend")) {
                double shift = services.get("recommend").predictionShift;
                a.sample(n++, t, Math.max(0, 0.12 - 0.4 * shift + 0.005 * rnd.nextGaussian()));
            }
            a.endMetrics();
            samplesSent += n;
            logs(s, a, i, f, t);
        }
    }

    private void logs(Svc s, SimAgent a, int i, Scenario f, long t) throws IOException {
        long ms = t + 100 + i * 37;
        if ((t / STEP_MILLIS) % 6 == i) {
            log(a, ms, LogLevel.INFO, s.name + ".http", "Handled {} requests in {} ms",
                    "Handled " + (int) (s.rps * 60) + " requests in " + (int) s.latency[i] + " ms");
        }
        if (rnd.nextDouble() < 0.02) {
            log(a, ms + 1, LogLevel.WARN, s.name + ".db", "Slow query took {} ms",
                    "Slow query took " + (200 + rnd.nextInt(300)) + " ms");
        }
        boolean deployBug = f != null && f.service().equals(s.name) && f.fault() == Fault.BAD_DEPLOYMENT;
        int own = poisson(s.ownErrors[i] * 40);
        for (int k = 0; k < own && k < 40; k++) {
            if (deployBug) {
                log(a, ms + 2 + k, LogLevel.ERROR, s.name + ".api", "NullPointerException in {}.handle",
                        "NullPointerException in " + s.name + "Controller.handle");
            } else {
                log(a, ms + 2 + k, LogLevel.ERROR, s.name + ".api", "Request {} failed: {}",
                        "Request " + rnd.nextInt(1_000_000) + " failed: internal error");
            }
        }
        int propagated = poisson(Math.max(0, s.errors[i] - s.ownErrors[i]) * 40);
        for (int k = 0; k < propagated && k < 40; k++) {
            log(a, ms + 50 + k, LogLevel.ERROR, s.name + ".client", "Call to {} failed with status {}",
                    "Call to " + worstCallee(s) + " failed with status 500");
        }
    }

    private String worstCallee(Svc s) {
        String worst = "";
        double e = -1;
        for (String c : callees.get(s.name)) {
            if (services.get(c).meanErrors > e) {
                e = services.get(c).meanErrors;
                worst = c;
            }
        }
        return worst;
    }

    private void log(SimAgent a, long t, LogLevel level, String logger, String pattern, String message)
            throws IOException {
        a.log(t, level, logger, pattern, message);
        logsSent++;
    }

    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        double l = Math.exp(-Math.min(mean, 50));
        int k = 0;
        double prod = rnd.nextDouble();
        while (prod > l) {
            k++;
            prod *= rnd.nextDouble();
        }
        return k;
    }

    private void span(Svc s, ByteString trace, ByteString parent, long t, int depth) {
        boolean error = rnd.nextDouble() < s.meanErrors;
        ByteString id = spans.span(s.name, "GET /" + s.name, trace, parent, t + depth * 3L, s.meanLatency, error);
        for (String c : callees.get(s.name)) {
            span(services.get(c), trace, id, t, depth + 1);
        }
    }

    /** Waits until every agent's frames are journaled (spans stay batched). */
    void syncAgents() throws IOException {
        for (String name : SERVICES) {
            for (SimAgent a : services.get(name).agents) {
                a.sync();
            }
        }
    }

    /** Flushes spans and waits until every agent's frames are journaled. */
    void sync() throws IOException, InterruptedException {
        spans.flush();
        for (Svc s : services.values()) {
            for (SimAgent a : s.agents) {
                a.flush();
                a.sync();
            }
        }
    }

    void close() throws IOException {
        for (Svc s : services.values()) {
            for (SimAgent a : s.agents) {
                a.close();
            }
        }
    }

    long samplesSent() {
        return samplesSent;
    }

    long logsSent() {
        return logsSent;
    }

    long spanRequests() {
        return spans.requests();
    }

    long spanRetries() {
        return spans.retries();
    }
}
