package io.sextant.bench.overhead;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.bench.Harnesses;
import io.sextant.bench.overhead.workload.Workload;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code overhead} harness (BENCHMARKS.md): the {@link Workload} application run as separate
 * JVMs with no agent ({@code none}), with the Sextant agent ({@code sextant}) and with the
 * OpenTelemetry Java agent ({@code otel}), both agents shipping to one real collector this harness
 * starts on loopback (Sextant over its binary protocol, OpenTelemetry over OTLP/HTTP protobuf).
 * Before the measured rounds of a full run, each agent runs once against the fresh collector, unmeasured,
 * so that the rounds meet a collector whose ingest paths are compiled (as a long-running collector's are)
 * rather than its JIT compiler taking a core from the first workloads. Repetitions are interleaved (each
 * round runs the three in a rotated order) and each figure is the median over the rounds:
 *
 * <ul>
 *   <li>{@code throughput_ops_s}, {@code p50_ms}, {@code p99_ms}: requests in the measured window
 *       (after the warm-up) and their latency;</li>
 *   <li>{@code startup_ms}: from just before the harness starts the JVM to the first request served
 *       ({@code System.nanoTime()} is one monotonic clock for every process on Linux);</li>
 *   <li>{@code startup_cpu_ms}: CPU time the workload's threads (JIT compilers and GC included) had
 *       used by the first request: what start-up costs, which other load on the machine stretches
 *       into wall-clock time but barely changes;</li>
 *   <li>{@code alloc_mb_s}: heap bytes allocated by all threads in the window, per second;</li>
 *   <li>{@code cpu_us_per_op}: CPU time of the whole workload process (its agent's threads, JIT and GC
 *       included) in the window, per request: the agent's in-process cost, unlike throughput barely
 *       moved by what else runs on the machine (the collector included);</li>
 *   <li>{@code main_cpu_us_per_op}: CPU time of the request thread alone, per request: what the
 *       agent's code on that thread costs plus how much slower the application's own code runs beside
 *       the agent (caches, JIT profiles), without the time it waited for a core;</li>
 *   <li>{@code collector_cores}: CPU the collector (this harness process) used during the run, in
 *       cores: on this 2-core machine it competes with the workload, unlike a collector on its own host;</li>
 *   <li>{@code rss_mb}: resident set size at the end of the window; {@code threads}: live Java
 *       threads then ({@code os_threads}: every native thread, the JVM's own included).</li>
 * </ul>
 *
 * <p>Both agents run with their defaults except where to send and how often: the OpenTelemetry
 * agent exports metrics every second as the Sextant agent samples them. Both instrument the same
 * java.util.logging lines, and the workload records its counter, histogram and inference through
 * each agent's own API.
 *
 * <p>Usage: {@code OverheadHarness [--out DIR] [--quick] [--rounds N]}. Needs the built Sextant
 * agent jar and the files the benchmarks build copies into {@code benchmarks/target/overhead/}.
 */
public final class OverheadHarness
{
    static final List<String> CONFIGS = List.of("none", "sextant", "otel");
    static final String[] FIGURES = {"throughput_ops_s", "p50_ms", "p99_ms", "startup_ms", "startup_cpu_ms",
        "alloc_mb_s", "cpu_us_per_op", "main_cpu_us_per_op", "rss_mb", "threads", "os_threads", "collector_cores"};
    static final String OTEL_AGENT_VERSION = "2.22.0";
    /** How long each agent's unmeasured run against the fresh collector lasts (full runs only). */
    static final long COLLECTOR_WARMUP_MILLIS = 15_000;

    private final Path root;
    private final Path work;
    private final boolean quick;
    private final int rounds;
    private final long warmupMillis;
    private final long measureMillis;

    OverheadHarness(final Path root, final Path work, final boolean quick, final int rounds)
    {
        this.root = root;
        this.work = work;
        this.quick = quick;
        this.rounds = rounds;
        this.warmupMillis = quick ? 2_000 : 10_000;
        this.measureMillis = quick ? 3_000 : 20_000;
    }

    public static void main(final String[] args) throws Exception
    {
        Path out = null;
        boolean quick = false;
        int rounds = -1;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--data" -> i++;  // this harness reads no data
                default ->
                {
                    System.err.println("unknown argument '" + args[i] + "'; usage: OverheadHarness [--out DIR] " +
                        "[--quick] [--rounds N]");
                    System.exit(2);
                }
            }
        }
        final Path root = Path.of(System.getProperty("sextant.bench.root", ".")).toAbsolutePath().normalize();
        if (out == null)
        {
            out = root.resolve("benchmarks/results");
        }
        Files.createDirectories(out);
        final Path work = Files.createTempDirectory("sextant-overhead-");
        final OverheadHarness harness = new OverheadHarness(root, work, quick, rounds > 0 ? rounds : (quick ? 1 : 3));
        final ObjectNode summary;
        try
        {
            summary = harness.run(System.getProperty("sextant.bench.commit", "unknown"));
        }
        finally
        {
            deleteTree(work);
        }
        final String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary);
        Files.writeString(out.resolve("overhead.json"), json + System.lineSeparator(), StandardCharsets.UTF_8);
        System.out.println(json);
    }

    ObjectNode run(final String commit) throws Exception
    {
        final Path agentJar = need(root.resolve("agent/target/sextant-agent.jar"), "build the agent: mvn -pl agent package");
        final Path lib = root.resolve("benchmarks/target/overhead");
        final Path otelJar = need(lib.resolve("opentelemetry-javaagent.jar"), "build the benchmarks module");
        final List<String> classPath = new ArrayList<>();
        classPath.add(workloadJar(root.resolve("benchmarks/target")).toString());
        for (final String jar : List.of("sextant-api.jar", "opentelemetry-api.jar", "opentelemetry-context.jar"))
        {
            classPath.add(need(lib.resolve(jar), "build the benchmarks module").toString());
        }

        final Map<String, List<Map<String, Double>>> runs = new LinkedHashMap<>();
        CONFIGS.forEach(c -> runs.put(c, new ArrayList<>()));
        boolean sextantArrived;
        boolean otelArrived;
        try (Collector collector = new Collector(CollectorConfig.of(Map.of("data-dir", work.resolve("data").toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1")),
            m -> { }).start())
        {
            if (!quick)
            {
                // The collector is a fresh JVM: run each agent against it once, unmeasured, so that the measured
                // rounds see a collector whose ingest paths are compiled, as a long-running one is, and not its
                // JIT compiler competing with the first workload for the machine's cores.
                for (final String config : List.of("sextant", "otel"))
                {
                    System.err.println("[overhead] collector warm-up (not measured): " + config);
                    runOnce(command(config, agentJar, otelJar, classPath, collector, COLLECTOR_WARMUP_MILLIS, 1_000),
                        work.resolve(config + "-warmup.log"));
                }
            }
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < CONFIGS.size(); k++)
                {
                    final String config = CONFIGS.get((k + round) % CONFIGS.size());
                    final List<String> command = command(config, agentJar, otelJar, classPath, collector, warmupMillis,
                        measureMillis);
                    System.err.println("[overhead] round " + (round + 1) + "/" + rounds + ": " + config);
                    final long collectorCpuBefore = Harnesses.processCpuNanos();
                    final long wallBefore = System.nanoTime();
                    final Map<String, Double> figures = new LinkedHashMap<>(
                        runOnce(command, work.resolve(config + "-" + round + ".log")));
                    // what the collector (this process) spent meanwhile, as a share of one core: on a 2-core machine
                    // it competes with the workload for CPU, which the agent's own cost does not include
                    figures.put("collector_cores", (Harnesses.processCpuNanos() - collectorCpuBefore) /
                        (double)(System.nanoTime() - wallBefore));
                    if (config.equals("sextant") && figures.getOrDefault("sextant_attached", 0.0) != 1.0)
                    {
                        throw new IllegalStateException("the workload's sextant-api did not bind to the agent:\n" +
                            tail(work.resolve(config + "-" + round + ".log")));
                    }
                    System.err.println("[overhead]   " + figures);
                    runs.get(config).add(figures);
                }
            }
            sextantArrived = seriesArrived(collector.httpPort(), "sextant.agent.frames.sent");
            otelArrived = seriesArrived(collector.httpPort(), "workload.requests");
        }
        return summary(commit, runs, sextantArrived, otelArrived);
    }

    private List<String> command(final String config, final Path agentJar, final Path otelJar,
        final List<String> classPath, final Collector collector, final long warmup, final long measure)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx256m");
        switch (config)
        {
            case "sextant" ->
            {
                command.add("-javaagent:" + agentJar + "=endpoint=127.0.0.1:" + collector.ingestPort() +
                    ",service=overhead-workload");
            }
            case "otel" ->
            {
                command.add("-javaagent:" + otelJar);
                command.add("-Dotel.service.name=overhead-workload-otel");
                command.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + collector.otlpPort());
                command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
                command.add("-Dotel.metric.export.interval=1000");
            }
            default ->
            {
                // no agent
            }
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(Workload.class.getName());
        command.add(Long.toString(warmup));
        command.add(Long.toString(measure));
        return command;
    }

    private static Map<String, Double> runOnce(final List<String> command, final Path log) throws Exception
    {
        final long launch = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        final Map<String, Double> figures = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = out.readLine()) != null)
            {
                if (line.startsWith("FIRST_REQUEST "))
                {
                    figures.put("startup_ms", (Long.parseLong(line.substring(14).trim()) - launch) / 1e6);
                }
                else if (line.startsWith("STARTUP_CPU "))
                {
                    final long nanos = Long.parseLong(line.substring(12).trim());
                    figures.put("startup_cpu_ms", nanos < 0 ? Double.NaN : nanos / 1e6);
                }
                else if (line.startsWith("RESULT "))
                {
                    for (final String pair : line.substring(7).trim().split(" "))
                    {
                        final int eq = pair.indexOf('=');
                        figures.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
                    }
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
        if (!figures.containsKey("throughput_ops_s") || !figures.containsKey("startup_ms"))
        {
            throw new IllegalStateException("the workload printed no result (exit " + process.exitValue() + "):\n" +
                tail(log));
        }
        return figures;
    }

    private static String tail(final Path log) throws IOException
    {
        final List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Whether the collector knows a series of that name: the agents really shipped. */
    private static boolean seriesArrived(final int httpPort, final String metric)
    {
        try
        {
            final String selector = URLEncoder.encode("{__name__=\"" + metric + "\"}", StandardCharsets.UTF_8);
            final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/v1/series?match=" + selector))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && new ObjectMapper().readTree(answer.body()).path("data").size() > 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    private ObjectNode summary(final String commit, final Map<String, List<Map<String, Double>>> runs,
        final boolean sextantArrived, final boolean otelArrived)
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode summary = mapper.createObjectNode();
        summary.put("harness", "overhead");
        summary.put("commit", commit);
        summary.put("jdk", System.getProperty("java.version"));
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        final ObjectNode params = summary.putObject("params");
        params.put("quick", quick);
        params.put("rounds", rounds);
        params.put("warmup_ms", warmupMillis);
        params.put("measure_ms", measureMillis);
        params.put("collector_warmup_ms", quick ? 0 : COLLECTOR_WARMUP_MILLIS);
        params.put("heap", "-Xms256m -Xmx256m");
        params.put("workload", "single-threaded request loop: parse, 8-feature logistic score, response build, " +
            "1 JUL line per 64 requests, counter + histogram + inference via sextant-api and opentelemetry-api");
        params.put("otel_javaagent", OTEL_AGENT_VERSION);
        params.put("otel_settings", "otlp http/protobuf, otel.metric.export.interval=1000");
        params.put("figure", "median over rounds");
        params.put("load_average", loadAverage());

        final ObjectNode results = summary.putObject("results");
        final Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        for (final String config : CONFIGS)
        {
            final ObjectNode node = results.putObject(config);
            final Map<String, Double> median = new LinkedHashMap<>();
            for (final String figure : FIGURES)
            {
                final double value = median(runs.get(config), figure);
                median.put(figure, value);
                node.put(figure, value);
            }
            medians.put(config, median);
        }
        results.with("sextant").put("data_arrived", sextantArrived);
        results.with("otel").put("data_arrived", otelArrived);

        final ObjectNode reference = summary.putObject("reference");
        reference.put("none", "results.none: the same workload with no agent, in the same run");
        reference.put("otel", "results.otel: the OpenTelemetry Java agent " + OTEL_AGENT_VERSION + ", in the same run");
        final ObjectNode ratio = summary.putObject("ratio");
        for (final String agent : List.of("sextant", "otel"))
        {
            final ObjectNode node = ratio.putObject(agent + "_vs_none");
            final Map<String, Double> a = medians.get(agent);
            final Map<String, Double> none = medians.get("none");
            node.put("throughput_change_pct", 100 * (a.get("throughput_ops_s") / none.get("throughput_ops_s") - 1));
            node.put("p50_change_pct", 100 * (a.get("p50_ms") / none.get("p50_ms") - 1));
            node.put("p99_change_pct", 100 * (a.get("p99_ms") / none.get("p99_ms") - 1));
            node.put("startup_extra_ms", a.get("startup_ms") - none.get("startup_ms"));
            node.put("startup_cpu_extra_ms", a.get("startup_cpu_ms") - none.get("startup_cpu_ms"));
            node.put("alloc_extra_mb_s", a.get("alloc_mb_s") - none.get("alloc_mb_s"));
            node.put("cpu_per_op_change_pct", 100 * (a.get("cpu_us_per_op") / none.get("cpu_us_per_op") - 1));
            node.put("rss_extra_mb", a.get("rss_mb") - none.get("rss_mb"));
            node.put("extra_threads", a.get("threads") - none.get("threads"));
            node.put("extra_os_threads", a.get("os_threads") - none.get("os_threads"));
        }
        final ObjectNode targets = summary.putObject("targets");
        final ObjectNode s = (ObjectNode)ratio.get("sextant_vs_none");
        targets.put("throughput_at_most_1pct_lower", s.get("throughput_change_pct").asDouble() >= -1);
        targets.put("p99_at_most_2pct_higher", s.get("p99_change_pct").asDouble() <= 2);
        targets.put("startup_at_most_150ms_more", s.get("startup_extra_ms").asDouble() <= 150);
        targets.put("at_most_2_extra_threads", s.get("extra_threads").asDouble() <= 2);
        targets.put("at_most_32mib_more_rss", s.get("rss_extra_mb").asDouble() <= 32);
        final Map<String, Double> sx = medians.get("sextant");
        final Map<String, Double> ot = medians.get("otel");
        final ObjectNode better = targets.putObject("better_than_otel");
        better.put("throughput_ops_s", sx.get("throughput_ops_s") > ot.get("throughput_ops_s"));
        for (final String lowerIsBetter : List.of("p50_ms", "p99_ms", "startup_ms", "alloc_mb_s", "rss_mb", "threads"))
        {
            better.put(lowerIsBetter, sx.get(lowerIsBetter) < ot.get(lowerIsBetter));
        }
        final ObjectNode all = summary.putObject("runs");
        runs.forEach((config, list) -> all.set(config, mapper.valueToTree(list)));
        return summary;
    }

    static double median(final List<Map<String, Double>> runs, final String figure)
    {
        final double[] values = runs.stream().mapToDouble(r -> r.getOrDefault(figure, Double.NaN)).sorted().toArray();
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static void deleteTree(final Path dir)
    {
        try (var paths = Files.walk(dir))
        {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            System.err.println("[overhead] could not delete " + dir + ": " + ex);
        }
    }

    private static Path workloadJar(final Path target) throws IOException
    {
        try (var files = Files.list(target))
        {
            return files.filter(f -> f.getFileName().toString().endsWith("-workload.jar")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no *-workload.jar in " + target +
                    ": build the benchmarks module"));
        }
    }

    private static Path need(final Path file, final String hint)
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException(file + " is missing: " + hint);
        }
        return file;
    }
}
