package io.sextant.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.journal.Journal;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.ErrorCode;
import io.sextant.protocol.Frame;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.Nack;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.Welcome;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class IngestIT
{
    @TempDir
    Path dataDir;

    private Collector collector;

    private Collector start(final Map<String, String> extra) throws Exception
    {
        final Map<String, String> settings = new HashMap<>(Map.of(
            "data-dir", dataDir.toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
            "bind-address", "127.0.0.1", "ring-size", "16MiB"));
        settings.putAll(extra);
        collector = new Collector(CollectorConfig.of(settings), m -> System.out.println("[collector] " + m)).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(10));
        return collector;
    }

    @AfterEach
    void stop()
    {
        if (collector != null)
        {
            collector.close();
        }
    }

    private static void sendGauge(final TestAgent agent, final long seq, final long time, final double value)
        throws Exception
    {
        agent.metrics(seq, 0, time, new int[] {1}, new long[] {time}, new double[] {value});
    }

    private static JsonNode series(final Collector c, final String query, final long start, final long end,
        final String agg, final int expectedPoints)
    {
        final String path = "/api/v1/query_range?query=" + enc(query) + "&start=" + start / 1000.0 + "&end=" +
            end / 1000.0 + "&step=1s&agg=" + agg;
        return Http.await(c.httpPort(), path, a -> a.status() == 200 &&
            a.json().at("/data/result").size() > 0 &&
            a.json().at("/data/result/0/values").size() >= expectedPoints, Duration.ofSeconds(5)).json();
    }

    private long countJournaledFrames(final UUID agent, final long session)
    {
        long count = 0;
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
                    final Bytes<?> b = dc.wire().bytes();
                    final long p = b.readPosition();
                    if (b.readInt(p) == JournalRecord.KIND_AGENT_FRAME &&
                        b.readLong(p + JournalRecord.AGENT_MSB_OFFSET) == agent.getMostSignificantBits() &&
                        b.readLong(p + JournalRecord.SESSION_OFFSET) == session &&
                        b.readLong(p + JournalRecord.HEADER_LENGTH + Frame.SEQUENCE_OFFSET) > 0)
                    {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    @Test
    void acknowledgesAfterJournalingAndDataBecomesQueryable() throws Exception
    {
        start(Map.of());
        final long now = (System.currentTimeMillis() / 1000) * 1000 - 10_000;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 7))
        {
            final Welcome welcome = agent.handshake("checkout", "");
            assertThat(welcome.lastJournaledSequence()).isZero();
            assertThat(welcome.heartbeatIntervalMillis()).isEqualTo(5000);
            agent.define(1, SeriesKind.GAUGE, "jvm.memory.used", "bytes", "area", "heap");
            for (int i = 1; i <= 5; i++)
            {
                sendGauge(agent, i, now + i * 1000L, 100.0 * i);
            }
            agent.log(6, now * 1_000_000L + 6_000_000_000L, LogLevel.ERROR, "com.shop.Checkout", "payment failed for order 42");
            agent.awaitAck(6);
            // Every acknowledged frame is in the journal already.
            assertThat(countJournaledFrames(agent.agentId, 7)).isEqualTo(6);

            final JsonNode r = series(collector, "jvm.memory.used{service=\"checkout\",area=\"heap\"}", now, now + 6000,
                "avg", 5);
            assertThat(r.at("/data/result/0/metric/instance").asText()).isEqualTo(agent.agentId.toString());
            assertThat(r.at("/data/result/0/values/0/1").asDouble()).isEqualTo(100.0);
            assertThat(r.at("/data/result/0/values/4/1").asDouble()).isEqualTo(500.0);

            final Http.Answer logs = Http.await(collector.httpPort(),
                "/api/v1/logs?service=checkout&level=WARN&text=" + enc("PAYMENT failed"),
                a -> a.status() == 200 && a.json().at("/data").size() == 1, Duration.ofSeconds(5));
            assertThat(logs.json().at("/data/0/logger").asText()).isEqualTo("com.shop.Checkout");

            final Http.Answer agents = Http.get(collector.httpPort(), "/api/v1/agents");
            assertThat(agents.json().at("/data/0/service").asText()).isEqualTo("checkout");
            assertThat(agents.json().at("/data/0/connected").asBoolean()).isTrue();
            assertThat(agents.json().at("/data/0/lastJournaledSequence").asLong()).isEqualTo(6);
            final Http.Answer services = Http.get(collector.httpPort(), "/api/v1/services");
            assertThat(services.json().at("/data/0/health").asText()).isEqualTo("up");
            final Http.Answer labels = Http.get(collector.httpPort(), "/api/v1/label/area/values");
            assertThat(labels.json().at("/data/0").asText()).isEqualTo("heap");
            final Http.Answer metrics = Http.get(collector.httpPort(), "/metrics");
            assertThat(metrics.body()).contains("sextant_ingest_frames_total 6").contains("sextant_journal_lag_records");
        }
    }

    @Test
    void acknowledgesWithJournalSyncOn() throws Exception
    {
        start(Map.of("journal-sync", "batch"));
        final long now = System.currentTimeMillis() - 5_000;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 5))
        {
            agent.handshake("synced", "");
            agent.define(1, SeriesKind.GAUGE, "g", "");
            for (int i = 1; i <= 20; i++)
            {
                sendGauge(agent, i, now + i, i);
            }
            agent.awaitAck(20);
            assertThat(countJournaledFrames(agent.agentId, 5)).isEqualTo(20);
        }
    }

    @Test
    void refusesAWrongTokenWithAuthFailedAndCloses() throws Exception
    {
        start(Map.of("tokens", "s3cret,other"));
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1))
        {
            agent.hello("svc", "wrong");
            final Nack nack = agent.awaitNack();
            assertThat(nack.reason()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(nack.closing()).isTrue();
            assertThat(nack.text()).contains("token");
            assertThat(agent.closedByPeer()).isTrue();
        }
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1))
        {
            assertThat(agent.handshake("svc", "other").lastJournaledSequence()).isZero();
        }
    }

    @Test
    void corruptFrameGetsNackAndCloseWhileEarlierDataStays() throws Exception
    {
        start(Map.of());
        final long now = System.currentTimeMillis() - 5_000;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 2))
        {
            agent.handshake("billing", "");
            agent.define(1, SeriesKind.COUNTER, "requests", "1");
            sendGauge(agent, 1, now, 11);
            agent.awaitAck(1);
            final int length = agent.encodeMetrics(2, 0, now + 1000, new int[] {1}, new long[] {now + 1000},
                new double[] {12});
            final byte[] frame = agent.lastFrame(length);
            frame[length - 1] ^= 0x5A;
            agent.sendRaw(frame);
            final Nack nack = agent.awaitNack();
            assertThat(nack.reason()).isEqualTo(ErrorCode.CRC_MISMATCH);
            assertThat(nack.closing()).isTrue();
            assertThat(agent.closedByPeer()).isTrue();
        }
        final JsonNode r = series(collector, "requests{service=\"billing\"}", now - 1000, now + 2000, "last", 1);
        assertThat(r.at("/data/result/0/values/0/1").asDouble()).isEqualTo(11.0);
    }

    @Test
    void refusesUnknownSeriesSequenceGapsAndConflictingDefinitions() throws Exception
    {
        start(Map.of());
        final long now = System.currentTimeMillis();
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 3))
        {
            agent.handshake("svc", "");
            sendGauge(agent, 1, now, 1);
            assertThat(agent.awaitNack().reason()).isEqualTo(ErrorCode.UNKNOWN_SERIES);
        }
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 3))
        {
            agent.handshake("svc", "");
            agent.define(1, SeriesKind.GAUGE, "a", "");
            sendGauge(agent, 2, now, 1);
            final Nack nack = agent.awaitNack();
            assertThat(nack.reason()).isEqualTo(ErrorCode.SEQUENCE_GAP);
            assertThat(nack.text()).contains("expected sequence 1");
        }
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 3))
        {
            agent.handshake("svc", "");
            agent.define(1, SeriesKind.GAUGE, "a", "");
            agent.define(1, SeriesKind.GAUGE, "a", "");
            agent.define(1, SeriesKind.COUNTER, "b", "");
            assertThat(agent.awaitNack().reason()).isEqualTo(ErrorCode.CONFLICTING_DEFINITION);
        }
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 3))
        {
            agent.define(1, SeriesKind.GAUGE, "a", "");
            assertThat(agent.awaitNack().reason()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
        }
    }

    @Test
    void dropsResentDuplicatesAndReacknowledges() throws Exception
    {
        start(Map.of());
        final UUID id = UUID.randomUUID();
        final long now = (System.currentTimeMillis() / 1000) * 1000 - 20_000;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), id, 9))
        {
            agent.handshake("orders", "");
            agent.define(1, SeriesKind.GAUGE, "queue.depth", "");
            for (int i = 1; i <= 3; i++)
            {
                sendGauge(agent, i, now + i * 1000L, i);
            }
            agent.awaitAck(3);
        }
        try (TestAgent agent = new TestAgent(collector.ingestPort(), id, 9))
        {
            final Welcome welcome = agent.handshake("orders", "");
            assertThat(welcome.lastJournaledSequence()).isEqualTo(3);
            agent.define(1, SeriesKind.GAUGE, "queue.depth", "");
            sendGauge(agent, 2, now + 2000, 2);
            sendGauge(agent, 3, now + 3000, 3);
            agent.awaitAck(3);
            agent.metrics(4, Frame.FLAG_RESEND, now + 4000, new int[] {1}, new long[] {now + 4000}, new double[] {4});
            agent.awaitAck(4);
        }
        final JsonNode r = series(collector, "queue.depth", now, now + 5000, "count", 4);
        double total = 0;
        for (final JsonNode point : r.at("/data/result/0/values"))
        {
            total += point.get(1).asDouble();
        }
        assertThat(total).isEqualTo(4.0);
        assertThat(countJournaledFrames(id, 9)).isEqualTo(4);
        assertThat(Http.get(collector.httpPort(), "/api/v1/agents").json().at("/data/0/duplicatesDropped").asLong())
            .isEqualTo(2);
    }

    @Test
    void agentLogTraceIdsReadAsTheSameHexAsOtlpLogsOfTheTrace() throws Exception
    {
        start(Map.of());
        final String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        final String span = "00f067aa0ba902b7";
        final long nowNanos = System.currentTimeMillis() * 1_000_000L;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 9))
        {
            agent.handshake("checkout", "");
            agent.log(1, nowNanos, LogLevel.ERROR, "com.shop.Checkout", "agent side of the trace", trace, span);
            agent.awaitAck(1);
        }
        final String otlp = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\"," +
            "\"value\":{\"stringValue\":\"gateway\"}}]},\"scopeLogs\":[{\"scope\":{\"name\":\"gw\"}," +
            "\"logRecords\":[{\"timeUnixNano\":\"" + nowNanos + "\",\"severityNumber\":17,\"severityText\":\"ERROR\"," +
            "\"body\":{\"stringValue\":\"otlp side of the trace\"},\"traceId\":\"" + trace + "\",\"spanId\":\"" + span +
            "\"}]}]}]}";
        final java.net.http.HttpResponse<String> posted = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + collector.otlpPort() +
                "/v1/logs")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(otlp)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        final JsonNode logs = Http.await(collector.httpPort(), "/api/v1/logs?text=" + enc("side of the trace"),
            a -> a.status() == 200 && a.json().at("/data").size() == 2, Duration.ofSeconds(10)).json();
        for (final JsonNode entry : logs.at("/data"))
        {
            assertThat(entry.get("traceId").asText()).as(entry.toString()).isEqualTo(trace);
            assertThat(entry.get("spanId").asText()).as(entry.toString()).isEqualTo(span);
        }
    }

    @Test
    void restartReplaysTheJournalAndAnswersTheSameQueries() throws Exception
    {
        start(Map.of());
        final UUID id = UUID.randomUUID();
        final long now = (System.currentTimeMillis() / 1000) * 1000 - 60_000;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), id, 11))
        {
            agent.handshake("search", "");
            agent.define(1, SeriesKind.COUNTER, "http.requests", "1", "route", "/q");
            for (int i = 1; i <= 30; i++)
            {
                sendGauge(agent, i, now + i * 1000L, i * 10.0);
            }
            agent.log(31, (now + 31_000) * 1_000_000L, LogLevel.WARN, "search.Index", "slow shard 3");
            agent.awaitAck(31);
        }
        final String query = "/api/v1/query_range?query=" + enc("http.requests{route=\"/q\"}") + "&start=" +
            now / 1000 + "&end=" + (now + 31_000) / 1000 + "&step=5s&agg=rate&by=service";
        final JsonNode before = Http.await(collector.httpPort(), query,
            a -> a.status() == 200 && a.json().at("/data/result/0/values").size() == 6, Duration.ofSeconds(5)).json();
        assertThat(before.at("/data/result/0/values/1/1").asDouble()).isEqualTo(10.0);
        collector.close();

        start(Map.of());
        final JsonNode after = Http.await(collector.httpPort(), query, a -> a.status() == 200 &&
            a.json().at("/data/result/0/values").size() == 6, Duration.ofSeconds(10)).json();
        assertThat(after.at("/data/result")).isEqualTo(before.at("/data/result"));
        assertThat(Http.get(collector.httpPort(), "/api/v1/logs?text=shard").json().at("/data/0/message").asText())
            .isEqualTo("slow shard 3");
        try (TestAgent agent = new TestAgent(collector.ingestPort(), id, 11))
        {
            assertThat(agent.handshake("search", "").lastJournaledSequence()).isEqualTo(31);
        }
    }

    @Test
    void badQueryParametersGet400NamingTheParameter() throws Exception
    {
        start(Map.of());
        final int port = collector.httpPort();
        Http.Answer a = Http.get(port, "/api/v1/query_range?start=0&end=10");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("status").asText()).isEqualTo("error");
        assertThat(a.json().get("error").asText()).contains("'query'");
        a = Http.get(port, "/api/v1/query_range?query=x&start=yesterday");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("error").asText()).contains("'start'").contains("RFC 3339");
        a = Http.get(port, "/api/v1/query_range?query=x&start=0&end=100000&step=1ms");
        assertThat(a.json().get("error").asText()).contains("'step'");
        a = Http.get(port, "/api/v1/query_range?query=" + enc("x{a=\"1\"") + "&start=0&end=10");
        assertThat(a.json().get("error").asText()).contains("'query'").contains("'}'");
        a = Http.get(port, "/api/v1/query_range?query=x&agg=median");
        assertThat(a.json().get("error").asText()).contains("'agg'");
        a = Http.get(port, "/api/v1/logs?level=LOUD");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("error").asText()).contains("'level'");
        assertThat(Http.get(port, "/healthz").status()).isEqualTo(200);
    }
}
