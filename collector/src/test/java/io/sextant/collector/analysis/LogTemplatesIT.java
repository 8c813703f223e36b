package io.sextant.collector.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.LogLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log templates end to end: a real collector with a journal in a temporary folder, fed agent LOGS frames over
 * loopback (with and without patterns) and OTLP logs from the OpenTelemetry SDK's exporter; the templates, the
 * template filter of the log search and the log anomaly are read back, then again after a restart that replays the
 * journal.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class LogTemplatesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ORDER = "Order {} placed by customer {}";
    private static final String DECLINED = "Payment provider {} declined card ending {}";

    @TempDir
    Path dataDir;

    private Collector collector;

    private Collector start() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "data-dir", dataDir.toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
                "bind-address", "127.0.0.1", "ring-size", "16MiB"));
        collector = new Collector(CollectorConfig.of(settings), m -> System.out.println("[collector] " + m)).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, WAIT);
        return collector;
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private JsonNode templates(String query, java.util.function.Predicate<JsonNode> until) {
        return Http.await(collector.httpPort(), "/api/v1/logs/templates?" + query,
                a -> a.status() == 200 && until.test(a.json().at("/data")), WAIT).json().at("/data");
    }

    private static JsonNode withTemplate(JsonNode list, String text) {
        for (JsonNode t : list) {
            if (t.at("/template").asText().equals(text)) {
                return t;
            }
        }
        return null;
    }

    private static long trendSum(JsonNode template) {
        long sum = 0;
        for (JsonNode point : template.at("/trend")) {
            assertThat(point.size()).isEqualTo(2);
            sum += point.get(1).asLong();
        }
        return sum;
    }

    private List<Signal> logAnomalies(String templateId) {
        return collector.signals().find(s -> s.kind() == Signal.Kind.LOG_ANOMALY
                && templateId.equals(s.labels().get("template")), 100);
    }

    @Test
    void templatesFromAgentPatternsAndOtlpTextAreListedSearchableAndSurviveAReplay() throws Exception {
        start();
        // a quarter of an hour of routine lines, then an error never seen before (after the 10 min warm-up)
        long base = System.currentTimeMillis() - 15 * 60_000L;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 3)) {
            agent.handshake("checkout", "");
            long seq = 0;
            for (int i = 0; i < 5; i++) {
                agent.log(++seq, (base + i * 60_000L) * 1_000_000L, LogLevel.INFO, "com.shop.Orders", ORDER,
                        "Order " + (1000 + i) + " placed by customer c-" + (7 * i));
                agent.log(++seq, (base + i * 60_000L + 10) * 1_000_000L, LogLevel.INFO, "com.shop.Health", "",
                        "Health check passed in " + (3 + i) + " ms");
            }
            agent.log(++seq, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "com.shop.Pay", DECLINED,
                    "Payment provider acme declined card ending 4242");
            agent.awaitAck(seq);
        }
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "storage")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + collector.otlpPort() + "/v1/logs").build()))
                .build();
        try {
            for (String device : new String[] {"/dev/sda1", "/dev/sdb2", "/dev/nvme0n1p3"}) {
                provider.get("com.example.Disk").logRecordBuilder().setSeverity(Severity.WARN)
                        .setBody("Volume " + device + " is " + (80 + device.length()) + "% full").emit();
            }
            provider.get("com.example.Disk").logRecordBuilder().setSeverity(Severity.INFO)
                    .setBody("Backup of volume /dev/sda1 finished").emit();
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }

        // agent templates: exact ones from the pattern, mined ones for records without one
        JsonNode checkout = templates("service=checkout", l -> l.size() == 3);
        JsonNode order = withTemplate(checkout, "Order <*> placed by customer <*>");
        assertThat(order).as("order template in %s", checkout).isNotNull();
        assertThat(order.at("/exact").asBoolean()).isTrue();
        assertThat(order.at("/count").asLong()).isEqualTo(5);
        assertThat(order.at("/levels/INFO").asLong()).isEqualTo(5);
        assertThat(order.at("/firstSeen").asDouble()).isEqualTo(base / 1000.0);
        assertThat(order.at("/lastSeen").asDouble()).isEqualTo((base + 4 * 60_000L) / 1000.0);
        assertThat(trendSum(order)).isEqualTo(5);
        assertThat(order.at("/new").asBoolean()).isFalse();
        JsonNode health = withTemplate(checkout, "Health check passed in <*> ms");
        assertThat(health).as("health template in %s", checkout).isNotNull();
        assertThat(health.at("/exact").asBoolean()).isFalse();
        assertThat(health.at("/count").asLong()).isEqualTo(5);
        JsonNode declined = withTemplate(checkout, "Payment provider <*> declined card ending <*>");
        assertThat(declined.at("/levels/ERROR").asLong()).isEqualTo(1);
        assertThat(declined.at("/new").asBoolean()).isTrue();
        assertThat(checkout.get(0).at("/id").asText()).isEqualTo(declined.at("/id").asText()); // newest first
        String orderId = order.at("/id").asText();
        String declinedId = declined.at("/id").asText();

        // new=true keeps only the error template; limit and bad parameters
        JsonNode fresh = templates("service=checkout&new=true", l -> l.size() == 1);
        assertThat(fresh.get(0).at("/id").asText()).isEqualTo(declinedId);
        assertThat(templates("service=checkout&limit=2", l -> true)).hasSize(2);
        assertThat(templates("service=checkout&from=" + (base + 3 * 60_000L) / 1000 + "&to=now", l -> true))
                .hasSize(3);
        assertThat(templates("service=checkout&to=" + (base - 60_000L) / 1000, l -> true)).isEmpty();
        Http.Answer bad = Http.get(collector.httpPort(), "/api/v1/logs/templates?new=maybe");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error").asText()).contains("new");

        // the log search filters by template id, and by the pattern text as before
        JsonNode byId = Http.await(collector.httpPort(), "/api/v1/logs?template=" + orderId,
                a -> a.status() == 200 && a.json().at("/data").size() == 5, WAIT).json().at("/data");
        for (JsonNode e : byId) {
            assertThat(e.at("/templateId").asText()).isEqualTo(orderId);
            assertThat(e.at("/message").asText()).startsWith("Order ");
        }
        assertThat(Http.get(collector.httpPort(), "/api/v1/logs?template=" + enc(ORDER)).json().at("/data"))
                .hasSize(5);
        JsonNode healthLogs = Http.get(collector.httpPort(), "/api/v1/logs?template=" + health.at("/id").asText())
                .json().at("/data");
        assertThat(healthLogs).hasSize(5);
        assertThat(Http.get(collector.httpPort(), "/api/v1/logs?template=0123456789abcdef").json().at("/data"))
                .isEmpty();

        // OTLP logs: mined
        JsonNode storage = templates("service=storage", l -> l.size() == 2);
        JsonNode volume = withTemplate(storage, "Volume <*> is <*>% full");
        assertThat(volume).as("volume template in %s", storage).isNotNull();
        assertThat(volume.at("/count").asLong()).isEqualTo(3);
        assertThat(volume.at("/levels/WARN").asLong()).isEqualTo(3);
        assertThat(volume.at("/exact").asBoolean()).isFalse();
        String volumeId = volume.at("/id").asText();
        JsonNode volumeLogs = Http.await(collector.httpPort(), "/api/v1/logs?service=storage&template=" + volumeId,
                a -> a.status() == 200 && a.json().at("/data").size() == 3, WAIT).json().at("/data");
        assertThat(volumeLogs.get(0).at("/templateId").asText()).isEqualTo(volumeId);

        // the never-seen error template is a log anomaly
        await(() -> !logAnomalies(declinedId).isEmpty(), "a LOG_ANOMALY signal for " + declinedId);
        Signal anomaly = logAnomalies(declinedId).get(0);
        assertThat(anomaly.service()).isEqualTo("checkout");
        assertThat(anomaly.labels()).containsEntry("templateText", "Payment provider <*> declined card ending <*>")
                .containsEntry("anomaly", "new-error-template");
        assertThat(anomaly.summary()).contains("never seen");
        assertThat(logAnomalies(orderId)).isEmpty();

        // a restart replays the journal: the same ids, counts and signal
        List<String> before = new ArrayList<>();
        for (JsonNode t : templates("limit=100", l -> true)) {
            before.add(t.at("/service").asText() + " " + t.at("/id").asText() + " " + t.at("/count").asLong());
        }
        assertThat(before).hasSize(5);
        collector.close();
        collector = null;
        start();
        templates("limit=100", l -> l.size() == 5);
        List<String> after = new ArrayList<>();
        await(() -> {
            after.clear();
            for (JsonNode t : templates("limit=100", l -> true)) {
                after.add(t.at("/service").asText() + " " + t.at("/id").asText() + " " + t.at("/count").asLong());
            }
            return after.equals(before);
        }, "the same templates after the replay");
        assertThat(after).containsExactlyInAnyOrderElementsOf(before);
        await(() -> !logAnomalies(declinedId).isEmpty(), "the anomaly after the replay");
        assertThat(logAnomalies(declinedId).get(0).id()).isEqualTo(anomaly.id());
    }
}
