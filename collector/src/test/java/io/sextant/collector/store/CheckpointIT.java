package io.sextant.collector.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.journal.Journal;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.SeriesKind;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints with a real collector on loopback ports and a real journal in a temp folder: a restart
 * from a checkpoint answers every query as before and replays only the journal records after the
 * checkpoint; a damaged checkpoint is reported and the whole journal replayed with the same answers.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class CheckpointIT
{
    private static final int SERIES = 40;

    @TempDir
    Path dataDir;

    private Collector collector;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final long base = (System.currentTimeMillis() / 1000) * 1000 - 600_000;

    private Collector start(final Map<String, String> extra) throws Exception
    {
        final Map<String, String> settings = new HashMap<>(Map.of(
            "data-dir", dataDir.toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
            "bind-address", "127.0.0.1", "ring-size", "16MiB", "checkpoint-interval", "1h"));
        settings.putAll(extra);
        collector = new Collector(CollectorConfig.of(settings), m ->
        {
            logLines.add(m);
            System.out.println("[collector] " + m);
        }).withStage(new SignalsFromLogs()).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(30));
        return collector;
    }

    /**
     * Turns log records of the loggers {@code test.anomaly}, {@code test.recovered} and {@code test.change}
     * into signals whose ids derive from the record (so a replay publishes the same ones).
     */
    static final class SignalsFromLogs implements io.sextant.collector.analysis.AnalysisStage
    {
        private io.sextant.collector.analysis.AnalysisContext context;
        private final Map<String, io.sextant.collector.analysis.Signal> open = new HashMap<>();

        @Override
        public void start(final io.sextant.collector.analysis.AnalysisContext context)
        {
            this.context = context;
        }

        @Override
        public void onLog(final LogEntry e)
        {
            final long t = e.timeNanos() / 1_000_000L;
            final String subject = e.message() + "{service=\"" + e.service() + "\"}";
            switch (e.logger())
            {
                case "test.anomaly" ->
                {
                    final io.sextant.collector.analysis.Signal s = new io.sextant.collector.analysis.Signal(
                        subject + "@" + t, io.sextant.collector.analysis.Signal.Kind.METRIC_ANOMALY, "test",
                        e.service(), subject, Map.of("service", e.service()), t, t, 0.9,
                        io.sextant.collector.analysis.anomaly.Severity.CRITICAL, 900, 10, 50, true,
                        e.message() + " high on " + e.service());
                    open.put(subject, s);
                    context.publish(s);
                }
                case "test.recovered" ->
                {
                    final io.sextant.collector.analysis.Signal s = open.remove(subject);
                    if (s != null)
                    {
                        context.publish(s.closed(t));
                    }
                }
                case "test.change" -> context.publish(io.sextant.collector.analysis.Signal.change(
                    "deploy:" + e.service() + "@" + t, "deploy", e.service(), e.service() + " " + e.message(),
                    Map.of("service", e.service()), t, "deployed " + e.service() + " " + e.message()));
                default ->
                {
                }
            }
        }
    }

    @AfterEach
    void stop()
    {
        if (collector != null)
        {
            collector.close();
        }
    }

    /** Frames 1..n of a connection: defines, a sample per series per frame, and a log line per frame. */
    private static void sendPhase(final TestAgent agent, final boolean define, final long firstSeq, final int frames,
        final long startTime) throws Exception
    {
        if (define)
        {
            for (int s = 1; s <= SERIES; s++)
            {
                agent.define(s, s % 2 == 0 ? SeriesKind.COUNTER : SeriesKind.GAUGE, "app.metric" + (s % 4), "1",
                    "shard", Integer.toString(s));
            }
        }
        long seq = firstSeq;
        for (int f = 0; f < frames; f++)
        {
            final int[] ids = new int[SERIES];
            final long[] times = new long[SERIES];
            final double[] values = new double[SERIES];
            final long t = startTime + f * 1000L;
            for (int s = 0; s < SERIES; s++)
            {
                ids[s] = s + 1;
                times[s] = t;
                values[s] = (s % 2 == 0) ? Math.sin(seq + s) * 100 : seq * (s + 1);
            }
            agent.metrics(seq++, 0, t, ids, times, values);
            agent.log(seq++, t * 1_000_000L, LogLevel.WARN, "app.Worker", "job {} took {} ms",
                "job " + seq + " took " + (seq % 97) + " ms");
        }
        agent.awaitAck(seq - 1);
    }

    private void postDelta(final double value, final long timeMillis) throws Exception
    {
        final ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("otel-orders"))))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("orders.placed")
                    .setUnit("1").setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(value)
                            .setTimeUnixNano(timeMillis * 1_000_000L)))))).build();
        final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + collector.otlpPort() + "/v1/metrics"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Everything the tests compare before and after a restart. */
    private Map<String, JsonNode> answers(final int expectedLogs)
    {
        final long start = base / 1000 - 10;
        final long end = start + 1200;
        final Map<String, JsonNode> out = new LinkedHashMap<>();
        final int port = collector.httpPort();
        for (int m = 0; m < 4; m++)
        {
            final int expected = SERIES / 4 + (m == 0 ? 1 : 0);
            for (final String agg : List.of("avg", "max", "count", "last"))
            {
                final String q = "/api/v1/query_range?query=" + enc("app.metric" + m) + "&start=" + start + "&end=" +
                    end + "&step=7s&agg=" + agg + "&by=shard";
                out.put(q, Http.await(port, q, a -> a.status() == 200 &&
                    a.json().at("/data/result").size() == expected, Duration.ofSeconds(20)).json().at("/data"));
            }
        }
        final String orders = "/api/v1/query_range?query=" + enc("orders.placed") + "&start=" + start + "&end=" + end +
            "&step=1s&agg=last";
        out.put(orders, Http.await(port, orders, a -> a.status() == 200 && a.json().at("/data/result").size() == 1,
            Duration.ofSeconds(20)).json().at("/data"));
        final String logs = "/api/v1/logs?service=ckpt&limit=10000";
        out.put(logs, Http.await(port, logs, a -> a.status() == 200 && a.json().at("/data").size() == expectedLogs,
            Duration.ofSeconds(20)).json().at("/data"));
        out.put("/api/v1/series", Http.get(port, "/api/v1/series?match=" + enc("{service=\"ckpt\"}")).json());
        out.put("/api/v1/labels", Http.get(port, "/api/v1/labels").json());
        return out;
    }

    /** Compares answers key by key, reporting the first difference briefly. */
    private static void assertSame(final Map<String, JsonNode> after, final Map<String, JsonNode> before)
    {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (final String key : before.keySet())
        {
            final String a = after.get(key).toString();
            final String b = before.get(key).toString();
            if (!a.equals(b))
            {
                int i = 0;
                while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i))
                {
                    i++;
                }
                final int from = Math.max(0, i - 200);
                throw new AssertionError(key + " differs at char " + i + ":\n before: " +
                    b.substring(from, Math.min(b.length(), i + 200)) + "\n after:  " +
                    a.substring(from, Math.min(a.length(), i + 200)));
            }
        }
    }

    /** Counts the journal's records after an index (all of them for -1), read with a tailer of our own. */
    private long recordsAfter(final long index)
    {
        long n = 0;
        try (Journal journal = new Journal(dataDir, "FAST_HOURLY", null, false);
            ExcerptTailer tailer = journal.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    if (dc.index() > index)
                    {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static long metric(final int port, final String name)
    {
        for (final String line : Http.get(port, "/metrics").body().split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return (long)Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private Map<String, JsonNode> loadData(final boolean checkpointHalfway) throws Exception
    {
        start(Map.of());
        final UUID id = UUID.randomUUID();
        try (TestAgent agent = new TestAgent(collector.ingestPort(), id, 5))
        {
            agent.handshake("ckpt", "");
            sendPhase(agent, true, 1, 100, base);
            postDelta(3, base + 1_000);
            postDelta(4, base + 2_000);
            if (checkpointHalfway)
            {
                Http.await(collector.httpPort(), "/api/v1/query_range?query=" + enc("orders.placed") + "&start=" +
                    (base / 1000 - 1) + "&end=" + (base / 1000 + 10) + "&step=1s&agg=last",
                    a -> a.status() == 200 && a.json().at("/data/result").size() == 1, Duration.ofSeconds(10));
                final Path file = collector.checkpointNow().get(30, TimeUnit.SECONDS);
                assertThat(file).exists();
            }
            // The same connection goes on after the checkpoint: its series dictionary must survive it.
            sendPhase(agent, false, 201, 100, base + 100_000);
            postDelta(5, base + 150_000);
        }
        // A second agent that appears only after the checkpoint.
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 9))
        {
            agent.handshake("ckpt", "");
            agent.define(1, SeriesKind.GAUGE, "app.metric0", "1", "shard", "late");
            agent.metrics(1, 0, base + 300_000, new int[] {1}, new long[] {base + 300_000}, new double[] {42});
            agent.awaitAck(1);
        }
        return answers(200);
    }

    @Test
    void restartFromACheckpointAnswersTheSameAndReplaysOnlyTheRecordsAfterIt() throws Exception
    {
        final Map<String, JsonNode> before = loadData(true);
        // The cumulative OTLP delta counter spans the checkpoint: 3 + 4 + 5.
        assertThat(before.values().stream().filter(j -> j.has("result") && j.at("/result").size() == 1)
            .anyMatch(j -> j.at("/result/0/values").size() > 0 &&
                j.at("/result/0/values").get(j.at("/result/0/values").size() - 1).get(1).asDouble() == 12.0)).isTrue();
        collector.close();
        collector = null;
        final CheckpointFiles files = new CheckpointFiles(dataDir.resolve("checkpoint"), m -> { });
        final List<Path> written = files.list();
        assertThat(written).as("the halfway checkpoint and the shutdown one").hasSize(2);
        final byte[] halfwayBytes = Files.readAllBytes(written.get(1));

        // A clean stop checkpointed everything: nothing is replayed. (Warm-up off: this young journal lies
        // wholly in the default window, where a full replay is chosen; see the next step.)
        final Map<String, String> noWarmup = Map.of("analysis-warmup", "off");
        start(noWarmup);
        assertSame(answers(200), before);
        assertThat(collector.storeTailer().resumedIndex()).isEqualTo(CheckpointFiles.read(written.get(0)).journalIndex());
        assertThat(collector.storeTailer().replayed()).isZero();
        assertThat(metric(collector.httpPort(), "sextant_replay_records")).isZero();
        collector.close();
        collector = null;

        // With the default warm-up (1h) covering the whole journal, the start replays the whole journal
        // instead: loading the store first would only delay the same re-reading.
        logLines.clear();
        start(Map.of());
        assertSame(answers(200), before);
        assertThat(logLines).anyMatch(l -> l.contains("would re-read the whole journal"));
        assertThat(collector.storeTailer().resumedIndex()).isEqualTo(-1);
        assertThat(collector.storeTailer().replayed()).isEqualTo(recordsAfter(-1));
        collector.close();
        collector = null;

        // Without the shutdown checkpoint (as after a crash), the start uses the halfway one and replays
        // exactly the journal records after it.
        for (final Path p : files.list())
        {
            Files.delete(p);
        }
        Files.write(written.get(1), halfwayBytes);
        final Checkpoint halfway = CheckpointFiles.read(written.get(1));
        final long after = recordsAfter(halfway.journalIndex());
        assertThat(after).isPositive().isLessThan(recordsAfter(-1));
        start(noWarmup);
        assertSame(answers(200), before);
        assertThat(collector.storeTailer().resumedIndex()).isEqualTo(halfway.journalIndex());
        assertThat(collector.storeTailer().replayed()).isEqualTo(after);
        assertThat(metric(collector.httpPort(), "sextant_replay_records")).isEqualTo(after);
        assertThat(Http.get(collector.httpPort(), "/api/v1/agents").json().at("/data").size()).isEqualTo(2);

        // The first agent's session resumes after its last journaled sequence.
        final JsonNode agents = Http.get(collector.httpPort(), "/api/v1/agents").json().at("/data");
        final List<Long> sequences = new ArrayList<>();
        agents.forEach(a -> sequences.add(a.get("lastJournaledSequence").asLong()));
        assertThat(sequences).containsExactlyInAnyOrder(400L, 1L);
    }

    /** Logs of service hist, one a second from {@code from}, with a deployment, an anomaly and errors in them. */
    private static long historyPhase(final TestAgent agent, long seq, final long from, final int first,
        final int end, final boolean incident) throws Exception
    {
        for (int i = first; i < end; i++)
        {
            final long t = from + i * 1000L;
            agent.log(seq++, t * 1_000_000L, LogLevel.INFO, "app.Tick", "tick {} of {}", "tick " + i + " of 100");
            if (incident && (i == 5 || i == 10 || i == 30))
            {
                agent.log(seq++, t * 1_000_000L + 1, i == 30 ? LogLevel.INFO : LogLevel.WARN,
                    i == 5 ? "test.change" : i == 10 ? "test.anomaly" : "test.recovered", "", i == 5 ? "v2" : "latency");
            }
            if (incident && i >= 11 && i <= 13)
            {
                agent.log(seq++, t * 1_000_000L + 2, LogLevel.ERROR, "app.Pay", "payment {} failed",
                    "payment " + i + " failed");
            }
            if (seq % 32 == 0)
            {
                agent.awaitAck(seq - 1);
            }
        }
        agent.awaitAck(seq - 1);
        return seq;
    }

    /** What the analysis shows: signals, incidents with members, timeline and causes, log templates with counts. */
    private Map<String, JsonNode> history(final long expectedLines)
    {
        final int port = collector.httpPort();
        final Map<String, JsonNode> out = new LinkedHashMap<>();
        final String templates = "/api/v1/logs/templates?service=hist&from=" + (base / 1000 - 10) + "&to=" +
            (base / 1000 + 1200) + "&limit=1000";
        out.put(templates, Http.await(port, templates, a ->
        {
            long lines = 0;
            for (final JsonNode t : a.json().at("/data"))
            {
                lines += t.path("count").asLong();
            }
            return a.status() == 200 && lines == expectedLines;
        }, Duration.ofSeconds(30)).json().at("/data"));
        // The per-window trend is not history: it shows the windows of the statistics, which a restart rebuilds
        // from the warm-up (only the counts come from the checkpoint), so it is left out.
        out.get(templates).forEach(t -> ((com.fasterxml.jackson.databind.node.ObjectNode)t).remove("trend"));
        out.put("/api/v1/signals", Http.get(port, "/api/v1/signals?limit=10000").json().at("/data"));
        final JsonNode incidents = Http.get(port, "/api/v1/incidents?state=all&limit=1000").json().at("/data");
        out.put("/api/v1/incidents", incidents);
        for (final JsonNode i : incidents)
        {
            final String id = i.path("id").asText();
            out.put("/api/v1/incidents/" + id, Http.get(port, "/api/v1/incidents/" + enc(id)).json().at("/data"));
            out.put("/api/v1/incidents/" + id + "/causes", Http.get(port, "/api/v1/incidents/" + enc(id) + "/causes")
                .json().at("/data"));
        }
        return out;
    }

    @Test
    void restartFromAnOlderCheckpointWithAShortWarmupKeepsTheAnalysisHistory() throws Exception
    {
        // Ten-minute log windows: the statistics then never have the ten closed windows they need to judge rates
        // during the test. A restart with a 1 s warm-up rebuilds them from a handful of lines, so a rate judged
        // on a window that spans the checkpoint could differ from the uninterrupted run's; what this test checks
        // is the history, which must not.
        final Map<String, String> shortWarmup = Map.of("analysis-warmup", "1s", "log-template-window", "10m");
        start(shortWarmup);
        final int port = collector.httpPort();
        final Path halfway;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 7))
        {
            agent.handshake("hist", "");
            long seq = historyPhase(agent, 1, base, 0, 60, true);
            // The incident (an anomaly after a deployment, recovered) is over before the checkpoint.
            Http.await(port, "/api/v1/incidents?state=resolved&service=hist", a -> a.status() == 200 &&
                a.json().at("/data").size() == 1, Duration.ofSeconds(30));
            // The warm-up window is journal (receive) time: let more than it pass before the last lines.
            final long resume = System.currentTimeMillis() + 2_500;
            while (System.currentTimeMillis() < resume)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
            seq = historyPhase(agent, seq, base, 60, 100, false);
            history(106);
            halfway = collector.checkpointNow().get(30, TimeUnit.SECONDS);
            seq = historyPhase(agent, seq, base + 100_000, 0, 100, false);
        }
        final Map<String, JsonNode> before = history(206);
        final JsonNode incident = before.values().stream().filter(j -> j.has("members")).findFirst().orElseThrow();
        assertThat(incident.path("state").asText()).isEqualTo("RESOLVED");
        assertThat(incident.at("/members").size()).isEqualTo(2);
        assertThat(before.entrySet().stream().filter(e -> e.getKey().endsWith("/causes")).findFirst().orElseThrow()
            .getValue().toString()).contains("deployment");
        assertThat(before.get("/api/v1/signals").toString()).contains("latency high on hist", "deployed hist v2");
        final byte[] halfwayBytes = Files.readAllBytes(halfway);
        collector.close();
        collector = null;

        // Restart from the older (halfway) checkpoint, as after a crash: the anomaly, the deployment and most
        // log lines lie before its 1 s warm-up window, yet everything comes back as it was.
        final CheckpointFiles files = new CheckpointFiles(dataDir.resolve("checkpoint"), m -> { });
        for (final Path p : files.list())
        {
            Files.delete(p);
        }
        Files.write(halfway, halfwayBytes);
        logLines.clear();
        start(shortWarmup);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!collector.analysis().live() && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertThat(collector.storeTailer().resumedIndex()).isEqualTo(CheckpointFiles.read(halfway).journalIndex());
        assertThat(collector.storeTailer().warmupRecords()).as("only the last lines before it are re-fed")
            .isPositive().isLessThanOrEqualTo(40);
        assertThat(logLines).anyMatch(l -> l.startsWith("analysis history loaded"));
        // Live means the analysis reached the journal's end once; the records after the checkpoint may still be
        // publishing what they published before the restart, so the history is compared once it stops changing.
        Map<String, JsonNode> after = history(206);
        final long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!after.equals(before) && System.nanoTime() - settle < 0)
        {
            Thread.sleep(100);
            after = history(206);
        }
        assertSame(after, before);
    }

    @Test
    void aDamagedCheckpointIsReportedAndTheWholeJournalReplayed() throws Exception
    {
        final Map<String, JsonNode> before = loadData(false);
        collector.close();
        collector = null;
        final List<Path> written = new CheckpointFiles(dataDir.resolve("checkpoint"), m -> { }).list();
        assertThat(written).hasSize(1);
        final byte[] bytes = Files.readAllBytes(written.get(0));
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(written.get(0), bytes);

        logLines.clear();
        start(Map.of());
        assertSame(answers(200), before);
        assertThat(logLines).anyMatch(l -> l.contains(written.get(0).getFileName().toString()) &&
            l.contains("unusable and ignored") && l.contains("CRC mismatch"));
        assertThat(collector.storeTailer().resumedIndex()).isEqualTo(-1);
        assertThat(collector.storeTailer().replayed()).isEqualTo(recordsAfter(-1));
        collector.close();
        collector = null;

        // A torn one (cut short) is refused the same way.
        final List<Path> now = new CheckpointFiles(dataDir.resolve("checkpoint"), m -> { }).list();
        for (final Path p : now)
        {
            final byte[] b = Files.readAllBytes(p);
            Files.write(p, java.util.Arrays.copyOf(b, b.length - 100));
        }
        logLines.clear();
        start(Map.of());
        assertSame(answers(200), before);
        assertThat(logLines).anyMatch(l -> l.contains("unusable and ignored") && l.contains("torn"));
        assertThat(collector.storeTailer().resumedIndex()).isEqualTo(-1);
    }
}
