package io.sextant.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real OpenTelemetry SDK exporters (HTTP/protobuf and HTTP/JSON, JDK sender) against a collector
 * on loopback.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class OtlpIT
{
    @TempDir
    Path dataDir;

    private Collector collector;

    @BeforeEach
    void start() throws Exception
    {
        collector = new Collector(CollectorConfig.of(Map.of("data-dir", dataDir.toString(), "ingest-port", "0",
            "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1", "ring-size", "16MiB",
            "otlp-max-body", "1MiB")), m -> System.out.println("[collector] " + m)).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop()
    {
        collector.close();
    }

    private String endpoint(final String signal)
    {
        return "http://127.0.0.1:" + collector.otlpPort() + "/v1/" + signal;
    }

    private static void asJson(final Object builder) throws Exception
    {
        // The SDK keeps HTTP/JSON package-private (autoconfigure's otlp.protocol=http/json uses it);
        // reach it the same way.
        try
        {
            final Method m = builder.getClass().getDeclaredMethod("exportAsJson");
            m.setAccessible(true);
            m.invoke(builder);
        }
        catch (final NoSuchMethodException ex)
        {
            final java.lang.reflect.Field f = builder.getClass().getDeclaredField("delegate");
            f.setAccessible(true);
            final Object delegate = f.get(builder);
            delegate.getClass().getMethod("exportAsJson").invoke(delegate);
        }
    }

    private void exportMetrics(final String service, final boolean json) throws Exception
    {
        final OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder().setEndpoint(endpoint("metrics"))
            .setCompression("gzip");
        if (json)
        {
            asJson(builder);
        }
        final SdkMeterProvider provider = SdkMeterProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), service))))
            .registerMetricReader(PeriodicMetricReader.builder(builder.build()).setInterval(Duration.ofHours(1)).build())
            .build();
        try
        {
            final LongCounter counter = provider.get("test").counterBuilder("orders.placed").setUnit("1").build();
            counter.add(5, Attributes.of(AttributeKey.stringKey("region"), "eu"));
            counter.add(2, Attributes.of(AttributeKey.stringKey("region"), "us"));
            final var latency = provider.get("test").histogramBuilder("checkout.latency").setUnit("ms").build();
            for (int i = 1; i <= 100; i++)
            {
                latency.record(i);
            }
            provider.get("test").gaugeBuilder("queue.size").buildWithCallback(m -> m.record(17.5));
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        finally
        {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private void assertMetricsQueryable(final String service)
    {
        final String range = "&start=now-1h&end=now&step=1h";
        final JsonNode sum = Http.await(collector.httpPort(), "/api/v1/query_range?query=" +
            enc("orders.placed{service=\"" + service + "\"}") + range + "&agg=last&by=service",
            a -> a.status() == 200 && a.json().at("/data/result").size() == 1, Duration.ofSeconds(10)).json();
        assertThat(sum.at("/data/result/0/values/0/1").asDouble()).isEqualTo(7.0);
        final JsonNode p50 = Http.await(collector.httpPort(), "/api/v1/query_range?query=" +
            enc("checkout.latency{service=\"" + service + "\"}") + range + "&agg=p50",
            a -> a.status() == 200 && a.json().at("/data/result").size() == 1, Duration.ofSeconds(10)).json();
        // Explicit buckets (25, 50] hold the median of 1..100; the store records a bucket at its midpoint.
        assertThat(p50.at("/data/result/0/values/0/1").asDouble()).isBetween(25.0, 50.0);
        final JsonNode gauge = Http.await(collector.httpPort(), "/api/v1/query_range?query=" +
            enc("queue.size{service=\"" + service + "\"}") + range + "&agg=max",
            a -> a.status() == 200 && a.json().at("/data/result").size() == 1, Duration.ofSeconds(10)).json();
        assertThat(gauge.at("/data/result/0/values/0/1").asDouble()).isEqualTo(17.5);
    }

    @Test
    void metricsFromTheSdkOverHttpProtobufLandInTheStore() throws Exception
    {
        exportMetrics("proto-svc", false);
        assertMetricsQueryable("proto-svc");
    }

    @Test
    void metricsFromTheSdkOverHttpJsonLandInTheStore() throws Exception
    {
        exportMetrics("json-svc", true);
        assertMetricsQueryable("json-svc");
    }

    @Test
    void spansBecomeRateErrorDurationSeriesAndDependencyEdges() throws Exception
    {
        final OtlpHttpSpanExporterBuilder jsonBuilder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint("traces"));
        asJson(jsonBuilder);
        final SdkTracerProvider frontend = SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "frontend")))
            .addSpanProcessor(BatchSpanProcessor.builder(
                OtlpHttpSpanExporter.builder().setEndpoint(endpoint("traces")).setCompression("gzip").build()).build())
            .build();
        final SdkTracerProvider backend = SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "backend")))
            .addSpanProcessor(BatchSpanProcessor.builder(jsonBuilder.build()).build())
            .build();
        try
        {
            final Tracer front = frontend.get("test");
            final Tracer back = backend.get("test");
            for (int i = 0; i < 3; i++)
            {
                final Span server = front.spanBuilder("GET /cart").setSpanKind(SpanKind.SERVER).startSpan();
                final Span client = front.spanBuilder("call backend").setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.current().with(server)).startSpan();
                final Span handler = back.spanBuilder("load cart").setSpanKind(SpanKind.SERVER)
                    .setParent(Context.current().with(client)).startSpan();
                if (i == 2)
                {
                    handler.setStatus(StatusCode.ERROR);
                }
                handler.end();
                client.end();
                server.end();
            }
            assertThat(backend.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(frontend.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        finally
        {
            frontend.shutdown().join(10, TimeUnit.SECONDS);
            backend.shutdown().join(10, TimeUnit.SECONDS);
        }
        final String range = "&start=now-2h&end=now%2B1m&step=2h";
        final JsonNode edges = Http.await(collector.httpPort(), "/api/v1/query_range?query=" +
            enc("sextant.dependency.calls{caller=\"frontend\",callee=\"backend\"}") + range + "&agg=last",
            a -> a.status() == 200 && a.json().at("/data/result").size() == 1 &&
                last(a.json()) == 3.0, Duration.ofSeconds(10)).json();
        assertThat(edges.at("/data/result/0/metric/caller").asText()).isEqualTo("frontend");
        final JsonNode graph = Http.get(collector.httpPort(), "/api/v1/dependencies").json();
        assertThat(graph.at("/data/0/callee").asText()).isEqualTo("backend");
        assertThat(graph.at("/data/0/calls").asDouble()).isEqualTo(3.0);
        final JsonNode errors = Http.await(collector.httpPort(), "/api/v1/query_range?query=" +
            enc("sextant.span.calls{service=\"backend\",status=\"error\"}") + range + "&agg=last",
            a -> a.status() == 200 && a.json().at("/data/result").size() == 1, Duration.ofSeconds(10)).json();
        assertThat(last(errors)).isEqualTo(1.0);
        final JsonNode durations = Http.await(collector.httpPort(), "/api/v1/query_range?query=" +
            enc("sextant.span.duration{service=\"frontend\",operation=\"GET /cart\"}") + range + "&agg=count",
            a -> a.status() == 200 && a.json().at("/data/result").size() == 1 && last(a.json()) == 3.0,
            Duration.ofSeconds(10)).json();
        assertThat(last(durations)).isEqualTo(3.0);
    }

    private static double last(final JsonNode answer)
    {
        final JsonNode values = answer.at("/data/result/0/values");
        return values.get(values.size() - 1).get(1).asDouble();
    }

    @Test
    void logsFromTheSdkAreSearchable() throws Exception
    {
        final OtlpHttpLogRecordExporterBuilder builder = OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint("logs"));
        asJson(builder);
        final SdkLoggerProvider provider = SdkLoggerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "storage")))
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(builder.build()))
            .build();
        try
        {
            provider.get("com.example.Disk").logRecordBuilder().setSeverity(Severity.ERROR).setBody("disk full on /var")
                .emit();
            provider.get("com.example.Disk").logRecordBuilder().setSeverity(Severity.INFO).setBody("disk ok").emit();
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        finally
        {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
        final JsonNode logs = Http.await(collector.httpPort(), "/api/v1/logs?service=storage&level=error",
            a -> a.status() == 200 && a.json().at("/data").size() == 1, Duration.ofSeconds(10)).json();
        assertThat(logs.at("/data/0/message").asText()).isEqualTo("disk full on /var");
        assertThat(logs.at("/data/0/logger").asText()).isEqualTo("com.example.Disk");
    }

    @Test
    void answersMalformedTooLargeAndUnsupportedBodiesPerTheSpec() throws Exception
    {
        final HttpClient client = HttpClient.newHttpClient();
        final HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(endpoint("metrics")))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"resourceMetrics\": 5"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("malformed OTLP JSON");
        final HttpResponse<byte[]> badProto = client.send(HttpRequest.newBuilder(URI.create(endpoint("traces")))
            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(
                new byte[] {(byte)0x0A, (byte)0xFF, 0x01, 0x02})).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(badProto.statusCode()).isEqualTo(400);
        assertThat(new String(badProto.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("malformed");
        final HttpResponse<String> large = client.send(HttpRequest.newBuilder(URI.create(endpoint("logs")))
            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(
                new byte[2 << 20])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(large.statusCode()).isEqualTo(413);
        final HttpResponse<String> type = client.send(HttpRequest.newBuilder(URI.create(endpoint("logs")))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(type.statusCode()).isEqualTo(415);
        final HttpResponse<String> empty = client.send(HttpRequest.newBuilder(URI.create(endpoint("metrics")))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"\",\"gauge\":{\"dataPoints\":" +
                "[{\"asDouble\":1}]}}]}]}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).contains("partialSuccess").contains("rejectedDataPoints");
    }
}
