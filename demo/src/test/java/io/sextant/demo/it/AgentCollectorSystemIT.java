package io.sextant.demo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.api.Sextant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import static io.sextant.demo.it.SystemTests.enc;
import static io.sextant.demo.it.SystemTests.freePort;
import static io.sextant.demo.it.SystemTests.jar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * System tests of the whole product as a user runs it: the collector jar as a process, and
 * application JVMs started with {@code -javaagent:sextant-agent.jar}. Nothing is simulated: the
 * agent captures through its real instrumentation, ships over the real protocol, and the test reads
 * only the collector's HTTP API.
 */
class AgentCollectorSystemIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private int ingestPort;
    private int otlpPort;
    private int httpPort;

    @BeforeEach
    void ports() throws IOException
    {
        assumeThat(jar("sextant.it.collector-jar")).as("collector jar built").exists();
        assumeThat(jar("sextant.it.agent-jar")).as("agent jar built").exists();
        ingestPort = freePort();
        otlpPort = freePort();
        httpPort = freePort();
    }

    @AfterEach
    void stop()
    {
        processes.forEach(Process::destroyForcibly);
    }

    /**
     * The README's demo workload (real Smile model, Logback, sextant-api) with the agent attached:
     * its JVM metrics, logs (with their unformatted pattern) and inference statistics are queryable
     * within seconds, and the agent is listed as connected.
     */
    @Test
    void theDemoWorkloadIsQueryableWithinSeconds() throws Exception
    {
        assumeThat(jar("sextant.it.demo-jar")).as("demo jar built").exists();
        startCollector("collector.log");
        start("demo.log", List.of("-javaagent:" + jar("sextant.it.agent-jar") + "=service=loan-scoring,endpoint=127.0.0.1:" +
            ingestPort, "-jar", jar("sextant.it.demo-jar").toString(), "--rate", "50", "--cycle", "60s",
            "--api", "http://127.0.0.1:" + httpPort));

        final Duration within = Duration.ofSeconds(45);
        awaitData("/api/v1/series?match=" + enc("jvm.memory.used{service=\"loan-scoring\"}"),
            d -> d.size() > 0, within, "demo.log");
        awaitData("/api/v1/series?match=" + enc("sextant.inference.count{service=\"loan-scoring\"}"),
            d -> d.size() > 0, within, "demo.log");
        awaitData("/api/v1/series?match=" + enc("sextant.inference.latency{service=\"loan-scoring\"}"),
            d -> d.size() > 0, within, "demo.log");
        final JsonNode logs = awaitData("/api/v1/logs?service=loan-scoring&limit=500",
            d -> hasPattern(d), within, "demo.log");
        assertThat(hasPattern(logs)).as("a log record carries its unformatted pattern").isTrue();
        final JsonNode agents = awaitData("/api/v1/agents", d -> d.size() == 1 && d.get(0).get("connected").asBoolean(),
            within, "demo.log");
        assertThat(agents.get(0).get("service").asText()).isEqualTo("loan-scoring");
        final JsonNode quantile = get("/api/v1/query_range?query=" +
            enc("sextant.inference.latency{service=\"loan-scoring\"}") + "&agg=quantile&q=0.99&start=-5m&step=10s");
        assertThat(quantile.at("/data/result").size()).as("p99 of inference latency").isGreaterThan(0);
        // The model registry: both versions registered with a training profile, production deployed by the agent.
        final JsonNode model = awaitData("/api/v1/models/loan-default", d -> d.path("versions").size() == 2 &&
            "1.0.0".equals(d.at("/aliases/production").asText()), within, "demo.log");
        assertThat(model.at("/versions/0/trainingProfile").asText()).hasSize(64);
        assertThat(model.at("/versions/1/trainingProfile").asText()).hasSize(64);
    }

    private static boolean hasPattern(final JsonNode logs)
    {
        for (final JsonNode entry : logs)
        {
            final String template = entry.path("template").asText("");
            if (template.contains("{}"))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The collector is killed with SIGKILL while an application streams inference records through the
     * real agent, then restarted on the same journal: the agent reconnects, resends what was not
     * acknowledged, and the collector ends up with every record exactly once.
     */
    @Test
    void killNineUnderLoadLosesNothingTheAgentSent() throws Exception
    {
        final int total = 12_000;
        startCollector("collector-1.log");
        final String classPath = String.join(File.pathSeparator, location(CountingApp.class), location(Sextant.class),
            location(LoggerFactory.class), location(ch.qos.logback.classic.Logger.class),
            location(ch.qos.logback.core.Appender.class));
        final Process app = start("app.log", List.of("-javaagent:" + jar("sextant.it.agent-jar") +
            "=service=counting,endpoint=127.0.0.1:" + ingestPort + ",metrics-interval=500ms", "-cp", classPath,
            CountingApp.class.getName(), Integer.toString(total), "2000"));
        final String count = "/api/v1/query_range?query=" + enc("sextant.inference.count{service=\"counting\"}") +
            "&agg=last&by=&start=-10m&step=5s";

        // Kill once the collector has taken in a good part of the stream, while the app still sends.
        final double beforeKill = lastValue(awaitData(count, d -> lastValue(d) >= 2_000, Duration.ofSeconds(60),
            "app.log"));
        final Process collector = processes.get(0);
        collector.destroyForcibly();
        collector.waitFor();
        assertThat(app.isAlive()).isTrue();

        startCollector("collector-2.log");
        final JsonNode done = awaitData(count, d -> lastValue(d) >= total, Duration.ofSeconds(90), "app.log");
        assertThat(lastValue(done)).as("records counted after the restart (nothing lost, nothing twice)")
            .isEqualTo(total);
        assertThat(log("app.log")).contains("done " + total);
        // The agent's own bookkeeping: a reconnect happened and nothing was dropped.
        final JsonNode reconnects = awaitData("/api/v1/query_range?query=" +
            enc("sextant.agent.reconnects{service=\"counting\"}") + "&agg=max&by=&start=-10m&step=5s",
            d -> lastValue(d) >= 1, Duration.ofSeconds(30), "app.log");
        assertThat(lastValue(reconnects)).as("agent reconnects").isGreaterThanOrEqualTo(1);
        final JsonNode dropped = get("/api/v1/query_range?query=" +
            enc("sextant.agent.records.dropped{service=\"counting\"}") + "&agg=max&by=&start=-10m&step=5s")
            .path("data");
        assertThat(lastValue(dropped)).as("records the agent dropped").isZero();
        assertThat(beforeKill).as("the kill came while the application was still sending").isLessThan(total);
    }

    private static double lastValue(final JsonNode data)
    {
        final JsonNode result = data.path("result");
        if (result.size() == 0)
        {
            return Double.NaN;
        }
        final JsonNode values = result.get(0).path("values");
        double last = Double.NaN;
        for (final JsonNode point : values)
        {
            last = point.get(1).asDouble();
        }
        return last;
    }

    // ---- processes -------------------------------------------------------------------------------

    private void startCollector(final String log) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("-Xmx512m", "-jar", jar("sextant.it.collector-jar").toString(),
            "serve", "--data-dir", dir.resolve("data").toString(), "--ingest-port", Integer.toString(ingestPort),
            "--otlp-port", Integer.toString(otlpPort), "--http-port", Integer.toString(httpPort),
            "--set", "bind-address=127.0.0.1", "--set", "ring-size=16MiB"));
        final Process p = start(log, args);
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            assertThat(p.isAlive()).as("collector running; log:\n" + log(log)).isTrue();
            try
            {
                if (HTTP.send(HttpRequest.newBuilder(uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200)
                {
                    return;
                }
            }
            catch (final IOException notYet)
            {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("collector not ready in 60 s; log:\n" + log(log));
    }

    private Process start(final String log, final List<String> args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.stream(System.getProperty("sextant.jvm.flags", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList());
        command.addAll(args);
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile())).start();
        processes.add(p);
        return p;
    }

    private String log(final String name)
    {
        try
        {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "(no " + name + ")";
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
    }

    private JsonNode get(final String pathAndQuery) throws IOException, InterruptedException
    {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * Polls an endpoint until its {@code data} satisfies the condition; fails with the last answer
     * and the application's output.
     */
    private JsonNode awaitData(final String pathAndQuery, final Predicate<JsonNode> condition, final Duration within,
        final String appLog) throws InterruptedException
    {
        final long deadline = System.nanoTime() + within.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                final JsonNode answer = get(pathAndQuery);
                last = answer.toString();
                if ("success".equals(answer.path("status").asText()) && condition.test(answer.path("data")))
                {
                    return answer.path("data");
                }
            }
            catch (final IOException collectorDown)
            {
                last = collectorDown.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer to " + pathAndQuery + " satisfied the condition within " + within +
            "; last answer: " + abbreviate(last) + "\n" + appLog + ":\n" + abbreviate(log(appLog)));
    }

    private static String abbreviate(final String s)
    {
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    private static String location(final Class<?> type)
    {
        try
        {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
