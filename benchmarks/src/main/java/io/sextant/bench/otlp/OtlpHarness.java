package io.sextant.bench.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.bench.Harnesses;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code otlp} harness: the real OpenTelemetry SDK (meter provider, OTLP/HTTP protobuf exporter
 * with gzip, JDK HTTP sender) exporting to a real in-process collector as fast as it can.
 *
 * <p>Metrics: each exporting thread owns a meter provider with gauges over many attribute sets and
 * forces a collection and export in a loop; its clock moves one second per round, like a 1 s export
 * interval played fast. The rate is the points the collector both accepted and stored per second;
 * CPU is the whole process's (SDK included) per million points. Spans: a tracer with a batch
 * processor ending spans as fast as the exporter takes them; the rate is spans accepted per second.
 */
public final class OtlpHarness
{
    private static final int GAUGES = 10;
    private static final int SERIES_PER_GAUGE = 1000;

    private OtlpHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        Path out = Path.of("benchmarks", "results");
        boolean quick = false;
        int threads = 2;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--data" -> i++;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] +
                    "; usage: OtlpHarness [--out DIR] [--quick] [--threads N]");
            }
        }
        final ObjectNode summary = run(quick, threads);
        Files.createDirectories(out);
        final String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary);
        Files.writeString(out.resolve("otlp.json"), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        System.exit(0);
    }

    static ObjectNode run(final boolean quick, final int threads) throws Exception
    {
        final long millis = quick ? 4_000 : 20_000;
        final Path dir = Files.createTempDirectory("sextant-otlp-bench");
        final ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("harness", "otlp");
        root.put("commit", Harnesses.commit());
        root.put("jdk", System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        final ObjectNode params = root.putObject("params");
        params.put("quick", quick);
        params.put("exporting_threads", threads);
        params.put("points_per_export", GAUGES * SERIES_PER_GAUGE);
        params.put("encoding", "protobuf, gzip, JDK HTTP sender");
        params.put("seconds", millis / 1000.0);
        final ObjectNode results = root.putObject("results");
        try (Collector collector = new Collector(CollectorConfig.of(Map.of("data-dir", dir.resolve("data").toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1",
            "series-limit", "200000")), m -> System.err.println("collector: " + m)).start())
        {
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (!collector.ready() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(5);
            }
            metrics(collector, threads, millis, results);
            spans(collector, millis / 2, results);
        }
        finally
        {
            Harnesses.deleteQuietly(dir);
        }
        return root;
    }

    private static void metrics(final Collector collector, final int threads, final long millis,
        final ObjectNode results) throws Exception
    {
        final String endpoint = "http://127.0.0.1:" + collector.otlpPort() + "/v1/metrics";
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong failures = new AtomicLong();
        final org.HdrHistogram.Histogram exportLatency = new org.HdrHistogram.Histogram(60_000_000_000L, 3);
        final List<Thread> workers = new ArrayList<>();
        final List<SdkMeterProvider> providers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final AtomicLong nowNanos = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() -
                86_400_000L));
            final Clock clock = new Clock()
            {
                @Override
                public long now()
                {
                    return nowNanos.get();
                }

                @Override
                public long nanoTime()
                {
                    return System.nanoTime();
                }
            };
            final PeriodicMetricReader reader = PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint).setCompression("gzip").setTimeout(Duration.ofSeconds(30)).build())
                .setInterval(Duration.ofDays(1)).build();
            final SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock)
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                    AttributeKey.stringKey("service.name"), "otlp-bench-" + t))))
                .registerMetricReader(reader).build();
            providers.add(provider);
            final Meter meter = provider.get("otlp-bench");
            final Attributes[] attributes = new Attributes[SERIES_PER_GAUGE];
            for (int i = 0; i < SERIES_PER_GAUGE; i++)
            {
                attributes[i] = Attributes.of(AttributeKey.stringKey("instance"), "i-" + i,
                    AttributeKey.stringKey("zone"), "z" + (i % 3));
            }
            for (int g = 0; g < GAUGES; g++)
            {
                final int gauge = g;
                meter.gaugeBuilder("bench.otlp.gauge" + g).setUnit("By").buildWithCallback(
                    (ObservableDoubleMeasurement m) ->
                    {
                        final long round = nowNanos.get() / 1_000_000_000L;
                        for (int i = 0; i < SERIES_PER_GAUGE; i++)
                        {
                            m.record((double)(1_000_000 + gauge * 1000 + i + (round + i) % 5 * 4096), attributes[i]);
                        }
                    });
            }
            final Thread worker = new Thread(() ->
            {
                while (running.get())
                {
                    nowNanos.addAndGet(1_000_000_000L);
                    final long begin = System.nanoTime();
                    if (!reader.forceFlush().join(30, TimeUnit.SECONDS).isSuccess())
                    {
                        failures.incrementAndGet();
                    }
                    synchronized (exportLatency)
                    {
                        exportLatency.recordValue(Math.min(System.nanoTime() - begin,
                            exportLatency.getHighestTrackableValue()));
                    }
                }
            }, "otlp-exporter-" + t);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        Thread.sleep(Math.min(3_000, millis / 3));
        final long points0 = otlpCount(collector, "points");
        final long stored0 = collector.store().samples();
        final long cpu0 = Harnesses.processCpuNanos();
        final long t0 = System.nanoTime();
        Thread.sleep(millis);
        final double seconds = (System.nanoTime() - t0) / 1e9;
        final long points1 = otlpCount(collector, "points");
        final long stored1 = collector.store().samples();
        final long cpu1 = Harnesses.processCpuNanos();
        running.set(false);
        for (final Thread w : workers)
        {
            w.join();
        }
        providers.forEach(SdkMeterProvider::close);
        final double accepted = (points1 - points0) / seconds;
        final double stored = (stored1 - stored0) / seconds;
        results.put("points_per_s", Math.min(accepted, stored));
        results.put("accepted_points_per_s", accepted);
        results.put("stored_points_per_s", stored);
        results.put("cpu_s_per_million", (cpu1 - cpu0) / 1e9 / (Math.max(1, points1 - points0) / 1e6));
        results.put("failed_exports", failures.get());
        results.put("export_p50_ms", exportLatency.getValueAtPercentile(50) / 1e6);
        results.put("export_p99_ms", exportLatency.getValueAtPercentile(99) / 1e6);
        results.put("exports", exportLatency.getTotalCount());
        results.put("malformed_requests", otlpCount(collector, "malformed"));
        results.put("throttled_requests", otlpCount(collector, "throttled"));
    }

    private static void spans(final Collector collector, final long millis, final ObjectNode results)
        throws InterruptedException
    {
        final BatchSpanProcessor processor = BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.otlpPort() + "/v1/traces").setCompression("gzip").build())
            .setMaxQueueSize(65_536).setMaxExportBatchSize(2048).setScheduleDelay(Duration.ofMillis(50)).build();
        final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor)
            .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "otlp-bench-spans")))).build();
        final Tracer tracer = provider.get("otlp-bench");
        final long spans0 = otlpCount(collector, "spans");
        final long t0 = System.nanoTime();
        final long end = t0 + TimeUnit.MILLISECONDS.toNanos(millis);
        long ended = 0;
        while (System.nanoTime() - end < 0)
        {
            final Span span = tracer.spanBuilder("GET /items/{id}").startSpan();
            span.setAttribute("http.response.status_code", 200L);
            span.end();
            ended++;
            if ((ended & 1023) == 0)
            {
                // Stay within the batch processor's queue: it drops what does not fit.
                while (otlpCount(collector, "spans") - spans0 < ended - 60_000 && System.nanoTime() - end < 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }
        }
        provider.forceFlush().join(30, TimeUnit.SECONDS);
        final double seconds = (System.nanoTime() - t0) / 1e9;
        results.put("spans_per_s", (otlpCount(collector, "spans") - spans0) / seconds);
        provider.close();
    }

    private static long otlpCount(final Collector collector, final String key)
    {
        final Object otlp = collector.status().get("otlp");
        return otlp instanceof Map<?, ?> m && m.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
