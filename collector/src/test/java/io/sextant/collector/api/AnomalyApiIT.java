package io.sextant.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.SeriesKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real collector (temporary journal, loopback sockets) fed by agent protocol frames: a spike is served by
 * {@code /api/v1/anomalies} and {@code /api/v1/expected}, and again, with the same id, by a new collector
 * that replayed the same journal.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class AnomalyApiIT
{
    private static final int POINTS = 400;
    private static final int SPIKE = 330;
    private static final String SERIES = "app.queue.depth{service=\"checkout\"}";

    @TempDir
    Path dataDir;

    private Collector collector;

    private Collector start() throws Exception
    {
        collector = new Collector(CollectorConfig.of(Map.of(
            "data-dir", dataDir.toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
            "bind-address", "127.0.0.1", "ring-size", "16MiB")), m -> System.out.println("[collector] " + m)).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(20));
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

    /**
     * Sends POINTS one-second samples of a noisy gauge ending about now, with a spike at SPIKE.
     *
     * @return the spike's time.
     */
    private long feed(final UUID agentId, final long session) throws Exception
    {
        final long t0 = (System.currentTimeMillis() / 1000) * 1000 - (POINTS + 10) * 1000L;
        final Random random = new Random(17);
        try (TestAgent agent = new TestAgent(collector.ingestPort(), agentId, session))
        {
            agent.handshake("checkout", "");
            agent.define(1, SeriesKind.GAUGE, "app.queue.depth", "1");
            final int perFrame = 50;
            long seq = 0;
            for (int from = 0; from < POINTS; from += perFrame)
            {
                final int n = Math.min(perFrame, POINTS - from);
                final int[] ids = new int[n];
                final long[] times = new long[n];
                final double[] values = new double[n];
                for (int k = 0; k < n; k++)
                {
                    final int i = from + k;
                    ids[k] = 1;
                    times[k] = t0 + i * 1000L;
                    values[k] = (i == SPIKE ? 400 : 40) + 3 * random.nextGaussian();
                }
                agent.metrics(++seq, 0, times[0], ids, times, values);
            }
            agent.awaitAck(seq);
        }
        return t0 + SPIKE * 1000L;
    }

    private JsonNode awaitAnomaly(final long spikeMillis)
    {
        final String path = "/api/v1/anomalies?service=checkout&detector=sextant";
        final JsonNode data = Http.await(collector.httpPort(), path, a -> a.status() == 200 &&
            find(a.json().at("/data"), spikeMillis) != null, Duration.ofSeconds(30)).json().at("/data");
        return find(data, spikeMillis);
    }

    private static JsonNode find(final JsonNode signals, final long startMillis)
    {
        for (final JsonNode s : signals)
        {
            if (Math.round(s.get("start").asDouble() * 1000) == startMillis &&
                s.get("subject").asText().startsWith("app.queue.depth{"))
            {
                return s;
            }
        }
        return null;
    }

    @Test
    void spikeIsServedAsAnAnomalyWithItsExpectedBandAndSurvivesARestart() throws Exception
    {
        start();
        final UUID agentId = UUID.randomUUID();
        final long spike = feed(agentId, 1);

        final JsonNode anomaly = awaitAnomaly(spike);
        final String id = anomaly.get("id").asText();
        assertThat(id).isEqualTo(anomaly.get("subject").asText() + "@" + spike);
        assertThat(anomaly.get("kind").asText()).isEqualTo("METRIC_ANOMALY");
        assertThat(anomaly.get("source").asText()).isEqualTo("sextant");
        assertThat(anomaly.get("service").asText()).isEqualTo("checkout");
        assertThat(anomaly.get("labels").get("instance").asText()).isEqualTo(agentId.toString());
        assertThat(anomaly.get("observed").asDouble()).isGreaterThan(350);
        assertThat(anomaly.get("expectedHigh").asDouble()).isLessThan(100);
        assertThat(anomaly.get("summary").asText()).contains("app.queue.depth").contains("expected");

        // the band of the series, with the spike outside it
        final JsonNode expected = Http.await(collector.httpPort(), "/api/v1/expected?series=" + enc(SERIES),
            a -> a.status() == 200, Duration.ofSeconds(5)).json().at("/data");
        assertThat(expected.at("/metric/__name__").asText()).isEqualTo("app.queue.depth");
        assertThat(expected.at("/metric/service").asText()).isEqualTo("checkout");
        assertThat(expected.get("values").size()).isEqualTo(POINTS);
        assertThat(expected.get("low").size()).isEqualTo(POINTS);
        assertThat(expected.get("high").size()).isEqualTo(POINTS);
        boolean spikeOutside = false;
        for (int i = 0; i < POINTS; i++)
        {
            final JsonNode v = expected.get("values").get(i);
            if (Math.round(v.get(0).asDouble() * 1000) == spike)
            {
                spikeOutside = v.get(1).asDouble() > expected.get("high").get(i).get(1).asDouble();
            }
        }
        assertThat(spikeOutside).as("the spike lies above its expected band").isTrue();
        assertThat(expected.get("anomalies").findValuesAsText("id")).contains(id);
        // downsampled with a step
        final JsonNode stepped = Http.get(collector.httpPort(), "/api/v1/expected?series=" + enc(SERIES) +
            "&step=10s").json().at("/data");
        assertThat(stepped.get("values").size()).isBetween(POINTS / 10, POINTS / 10 + 2);

        // the agent's first session is a change event
        final JsonNode changes = Http.get(collector.httpPort(), "/api/v1/changes?service=checkout").json().at("/data");
        assertThat(changes.findValuesAsText("id")).contains("agent:" + agentId + "/1");
        // every signal endpoint answers; signals include the anomaly and the change
        final JsonNode all = Http.get(collector.httpPort(), "/api/v1/signals?service=checkout&limit=1000").json();
        assertThat(all.at("/data").findValuesAsText("id")).contains(id, "agent:" + agentId + "/1");
        final JsonNode forecast = Http.get(collector.httpPort(), "/api/v1/forecast?series=" + enc(SERIES) +
            "&horizon=2m&threshold=1000").json().at("/data");
        assertThat(forecast.get("points").size()).isEqualTo(120);
        assertThat(forecast.get("points").get(0).size()).isEqualTo(4);
        assertThat(Http.get(collector.httpPort(), "/api/v1/forecast").json().at("/data").isArray()).isTrue();

        // a new collector on the same journal rebuilds the analysis: the same anomaly under the same id
        collector.close();
        collector = null;
        start();
        final JsonNode replayed = awaitAnomaly(spike);
        assertThat(replayed.get("id").asText()).isEqualTo(id);
        assertThat(replayed.get("observed").asDouble()).isEqualTo(anomaly.get("observed").asDouble());
        final JsonNode expectedAgain = Http.await(collector.httpPort(), "/api/v1/expected?series=" + enc(SERIES),
            a -> a.status() == 200 && a.json().at("/data/values").size() == POINTS, Duration.ofSeconds(10))
            .json().at("/data");
        assertThat(expectedAgain.get("high")).isEqualTo(expected.get("high"));

        // the agent comes back with a new session: an agent restart
        try (TestAgent agent = new TestAgent(collector.ingestPort(), agentId, 2))
        {
            agent.handshake("checkout", "");
        }
        final JsonNode restart = Http.await(collector.httpPort(), "/api/v1/changes?service=checkout", a ->
            a.status() == 200 && a.json().at("/data").findValuesAsText("id").contains("agent:" + agentId + "/2"),
            Duration.ofSeconds(10)).json().at("/data/0");
        assertThat(restart.get("kind").asText()).isEqualTo("CHANGE");
        assertThat(restart.get("source").asText()).isEqualTo("agent-restart");
        assertThat(restart.get("summary").asText()).contains("restarted");
    }

    @Test
    void badParametersAreRejectedNamingTheParameter() throws Exception
    {
        start();
        assertBad("/api/v1/anomalies?severity=loud", "severity");
        assertBad("/api/v1/anomalies?kind=CHANGE", "kind");
        assertBad("/api/v1/signals?kind=nope", "kind");
        assertBad("/api/v1/signals?open=maybe", "open");
        assertBad("/api/v1/signals?limit=0", "limit");
        assertBad("/api/v1/changes?from=yesterday", "from");
        assertBad("/api/v1/expected", "series");
        assertBad("/api/v1/expected?series=" + enc("a{b=}"), "series");
        assertBad("/api/v1/forecast?series=x&horizon=soon", "horizon");
        assertBad("/api/v1/forecast?series=x&threshold=high", "threshold");
        final Http.Answer missing = Http.get(collector.httpPort(), "/api/v1/expected?series=" + enc("no.such.series"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("errorType").asText()).isEqualTo("not_found");
    }

    private void assertBad(final String path, final String parameter)
    {
        final Http.Answer a = Http.get(collector.httpPort(), path);
        assertThat(a.status()).as(path).isEqualTo(400);
        assertThat(a.json().get("errorType").asText()).isEqualTo("bad_data");
        assertThat(a.json().get("error").asText()).as(path).contains("'" + parameter + "'");
    }
}
