package io.sextant.collector.analysis.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sextant.collector.Collector;
import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.cli.Main;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.LogLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real collector: agents send log records over the protocol, a tiny test stage in the analysis turns them into
 * signals, spans over OTLP/HTTP give the dependency graph, and {@code /api/v1/incidents} answers with the
 * correlated incident and its causes; after a restart the journal replay rebuilds the same incident id.
 */
class IncidentsApiIT {

    @TempDir
    Path dataDir;

    private Collector collector;

    /** Turns log records of the loggers {@code test.anomaly}, {@code test.recovered} and {@code test.change} into signals. */
    static final class SignalsFromLogs implements AnalysisStage {
        private AnalysisContext context;
        private final Map<String, Signal> open = new HashMap<>();

        @Override
        public void start(AnalysisContext context) {
            this.context = context;
        }

        @Override
        public void onLog(LogEntry e) {
            long t = e.timeNanos() / 1_000_000L;
            String subject = e.message() + "{service=\"" + e.service() + "\"}";
            switch (e.logger()) {
                case "test.anomaly" -> {
                    Signal s = new Signal(subject + "@" + t, Signal.Kind.METRIC_ANOMALY, "test", e.service(), subject,
                            Map.of("service", e.service()), t, t, 0.9, Severity.CRITICAL, 900, 10, 50, true,
                            e.message() + " high on " + e.service());
                    open.put(subject, s);
                    context.publish(s);
                }
                case "test.recovered" -> {
                    Signal s = open.remove(subject);
                    if (s != null) {
                        context.publish(s.closed(t));
                    }
                }
                case "test.change" -> context.publish(Signal.change("deploy:" + e.service() + "@" + t, "deploy",
                        e.service(), e.service() + " " + e.message(), Map.of("service", e.service()), t,
                        "deployed " + e.service() + " " + e.message()));
                default -> {
                }
            }
        }
    }

    /** The open incident that involves payment, or null. */
    private static JsonNode paymentIncident(JsonNode answer) {
        for (JsonNode i : answer.path("data")) {
            if (i.path("services").toString().contains("payment")) {
                return i;
            }
        }
        return null;
    }

    /** Members published by this test's stage (sources "test" and "deploy"). */
    private static int testMembers(JsonNode incident) {
        int n = 0;
        for (JsonNode m : incident.path("members")) {
            String source = m.path("signal").path("source").asText();
            if (source.equals("test") || source.equals("deploy")) {
                n++;
            }
        }
        return n;
    }

    private Collector start() throws Exception {
        collector = new Collector(CollectorConfig.of(Map.of("data-dir", dataDir.toString(), "ingest-port", "0",
                "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1")),
                m -> System.out.println("[collector] " + m)).withStage(new SignalsFromLogs()).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(20));
        return collector;
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private void sendTrace(String caller, String callee, long timeMillis) throws Exception {
        ByteString trace = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        ByteString parent = ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1});
        ByteString child = ByteString.copyFrom(new byte[] {2, 2, 2, 2, 2, 2, 2, 2});
        long start = timeMillis * 1_000_000L;
        ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans(caller, Span.newBuilder().setTraceId(trace).setSpanId(parent)
                        .setName("POST /checkout").setStartTimeUnixNano(start).setEndTimeUnixNano(start + 9_000_000)))
                .addResourceSpans(resourceSpans(callee, Span.newBuilder().setTraceId(trace).setSpanId(child)
                        .setParentSpanId(parent).setName("POST /pay").setStartTimeUnixNano(start + 1_000_000)
                        .setEndTimeUnixNano(start + 8_000_000)))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + collector.otlpPort() + "/v1/traces"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static ResourceSpans resourceSpans(String service, Span.Builder span) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)).build();
    }

    @Test
    void servesTheCorrelatedIncidentItsMembersAndItsCausesAndRebuildsItOnReplay() throws Exception {
        start();
        long t = System.currentTimeMillis() / 1000 * 1000 - 120_000;
        sendTrace("checkout", "payment", t - 60_000);
        Http.await(collector.httpPort(), "/api/v1/dependencies", a -> a.json() != null
                && a.json().path("data").size() == 1, Duration.ofSeconds(20));

        try (TestAgent payment = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1);
             TestAgent checkout = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1);
             TestAgent search = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1)) {
            payment.handshake("payment", "");
            checkout.handshake("checkout", "");
            search.handshake("search", "");
            // In event-time order, each acknowledged before the next is sent, as events seconds apart arrive live.
            payment.log(1, (t - 30_000) * 1_000_000L, LogLevel.INFO, "test.change", "2.4.0");
            payment.log(2, t * 1_000_000L, LogLevel.ERROR, "test.anomaly", "http.errors");
            payment.awaitAck(2);
            search.log(1, (t + 5_000) * 1_000_000L, LogLevel.ERROR, "test.anomaly", "http.latency");
            search.awaitAck(1);
            checkout.log(1, (t + 10_000) * 1_000_000L, LogLevel.ERROR, "test.anomaly", "http.errors");
            checkout.awaitAck(1);
        }

        // The collector's own stages add signals of their own (the agents' starts, the new error-level log
        // templates): the test's three signals are among the members, not all of them.
        JsonNode list = Http.await(collector.httpPort(), "/api/v1/incidents?state=open", a -> a.json() != null
                && a.json().path("data").size() == 2 && paymentIncident(a.json()) != null
                && testMembers(Http.get(collector.httpPort(), "/api/v1/incidents/"
                        + Http.enc(paymentIncident(a.json()).path("id").asText())).json().path("data")) == 3,
                Duration.ofSeconds(20)).json();
        JsonNode incident = null;
        for (JsonNode i : list.path("data")) {
            if (i.path("services").toString().contains("payment")) {
                incident = i;
            }
        }
        assertTrue(incident != null, list.toString());
        assertEquals(List.of("checkout", "payment"), List.of(incident.path("services").get(0).asText(),
                incident.path("services").get(1).asText()));
        assertEquals("deployment", incident.path("topCause").path("kind").asText(), incident.toString());
        assertEquals("OPEN", incident.path("state").asText());
        String id = incident.path("id").asText();

        JsonNode detail = Http.get(collector.httpPort(), "/api/v1/incidents/" + Http.enc(id)).json().path("data");
        assertEquals(3, testMembers(detail), detail.toString());
        String reasons = detail.path("members").toString();
        assertTrue(reasons.contains("checkout calls payment"), reasons);
        assertTrue(reasons.contains("change on payment"), reasons);
        assertTrue(detail.path("timeline").size() >= 3, detail.toString());

        JsonNode causes = Http.get(collector.httpPort(), "/api/v1/incidents/" + Http.enc(id) + "/causes").json();
        assertEquals("success", causes.path("status").asText());
        JsonNode top = causes.path("data").get(0);
        assertEquals(1, top.path("rank").asInt());
        assertEquals("deployment", top.path("kind").asText());
        assertEquals("payment", top.path("service").asText());
        assertTrue(top.path("evidence").toString().contains("30 s before the onset"), top.toString());

        assertEquals(400, Http.get(collector.httpPort(), "/api/v1/incidents?state=closed").status());
        assertTrue(Http.get(collector.httpPort(), "/api/v1/incidents?state=closed").body().contains("state"));
        assertEquals(404, Http.get(collector.httpPort(), "/api/v1/incidents/inc-nope").status());
        assertEquals(404, Http.get(collector.httpPort(), "/api/v1/incidents/inc-nope/causes").status());
        assertEquals(0, Http.get(collector.httpPort(), "/api/v1/incidents?state=resolved").json().path("data").size());
        assertEquals(1, Http.get(collector.httpPort(), "/api/v1/incidents?service=checkout").json().path("data").size());

        // The CLI lists it and shows it with its causes and the reasons.
        String url = "http://127.0.0.1:" + collector.httpPort();
        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"incidents", "--state", "open", "--url", url},
                new PrintStream(listed, true, StandardCharsets.UTF_8), System.err));
        assertTrue(listed.toString(StandardCharsets.UTF_8).contains(id), listed.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"incidents", "show", id, "--url", url},
                new PrintStream(shown, true, StandardCharsets.UTF_8), System.err));
        String text = shown.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(" 1. deployment") && text.contains("why: dependency graph: checkout calls payment"),
                text);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        assertEquals(1, Main.run(new String[] {"incidents", "show", "inc-nope", "--url", url}, System.out,
                new PrintStream(errors, true, StandardCharsets.UTF_8)));
        assertTrue(errors.toString(StandardCharsets.UTF_8).contains("no incident 'inc-nope'"));
        assertEquals(2, Main.run(new String[] {"incidents", "--state", "closed", "--url", url}, System.out,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

        // Replay: a new collector on the same journal rebuilds the same incident under the same id.
        collector.close();
        collector = null;
        start();
        JsonNode replayed = Http.await(collector.httpPort(), "/api/v1/incidents/" + Http.enc(id),
                a -> a.status() == 200 && testMembers(a.json().path("data")) == 3,
                Duration.ofSeconds(20)).json();
        assertEquals("deployment", replayed.path("data").path("topCause").path("kind").asText());
    }
}
