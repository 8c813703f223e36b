package io.sextant.collector.system;

import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.OtelDemoApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real OpenTelemetry Java agent 2.22.0 attached to an application JVM, exporting OTLP/HTTP
 * protobuf to the collector: its spans, JVM metrics and logs become queryable.
 */
class OtelJavaAgentIT
{
    @TempDir
    Path dir;

    private Collector collector;
    private Process app;

    @AfterEach
    void stop()
    {
        if (app != null)
        {
            app.destroyForcibly();
        }
        if (collector != null)
        {
            collector.close();
        }
    }

    private static String agentJar()
    {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> p.contains("opentelemetry-javaagent")).findFirst()
            .orElseThrow(() -> new AssertionError("opentelemetry-javaagent jar not on the test class path"));
    }

    @Test
    void spansJvmMetricsAndLogsFromTheJavaAgentAreQueryable() throws Exception
    {
        collector = new Collector(CollectorConfig.of(Map.of("data-dir", dir.resolve("data").toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1", "ring-size", "16MiB")),
            m -> System.out.println("[collector] " + m)).start();
        final int http = collector.httpPort();
        Http.await(http, "/readyz", a -> a.status() == 200, Duration.ofSeconds(10));
        final String classes = Path.of(OtelDemoApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-javaagent:" + agentJar(),
            "-Dotel.service.name=otel-demo",
            "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + collector.otlpPort(),
            "-Dotel.exporter.otlp.protocol=http/protobuf",
            "-Dotel.metric.export.interval=1000",
            "-Dotel.bsp.schedule.delay=200",
            "-Dotel.blrp.schedule.delay=200",
            "-Dotel.javaagent.logging=simple",
            "-Xmx128m", "-cp", classes, OtelDemoApp.class.getName(), "http://127.0.0.1:" + http + "/healthz");
        app = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("app.log").toFile())).start();

        final String range = "&start=now-10m&end=now%2B1m&step=1m&agg=count";
        Http.await(http, "/api/v1/query_range?query=" + enc("sextant.span.calls{service=\"otel-demo\",span_kind=\"client\"}") +
            range, a -> a.status() == 200 && a.json().at("/data/result").size() > 0, Duration.ofSeconds(90));
        Http.await(http, "/api/v1/series?match=" + enc("{service=\"otel-demo\",__name__=~\"jvm\\\\.memory\\\\.used\"}"),
            a -> a.status() == 200 && a.json().at("/data").size() > 0, Duration.ofSeconds(30));
        final Http.Answer logs = Http.await(http, "/api/v1/logs?service=otel-demo&level=WARN&text=demo+call",
            a -> a.status() == 200 && a.json().at("/data").size() > 0, Duration.ofSeconds(30));
        assertThat(logs.json().at("/data/0/logger").asText()).isEqualTo("demo.Worker");
        assertThat(app.isAlive()).isTrue();
    }
}
