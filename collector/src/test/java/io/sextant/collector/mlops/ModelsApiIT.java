package io.sextant.collector.mlops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.Collector;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.cli.Main;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.InferenceEncoder;
import io.sextant.protocol.LabelsEncoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.ModelEventKind;
import io.sextant.protocol.Outcome;
import io.sextant.protocol.PredictionKind;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model endpoints, the gate and the audit trail on a real collector (real journal in a temporary
 * folder, real sockets) fed by real agent-protocol INFERENCE, LABELS and MODEL_EVENT frames: a good
 * production version (1.0.0), a worse canary (1.1.0) that also sees shifted inputs, and a good candidate
 * (1.2.0), all three serving side by side in the same windows.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class ModelsApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final long WINDOW = 10_000;
    private static final int PER_WINDOW = 60;
    private static final int WINDOWS = 6;

    @TempDir
    Path dataDir;
    @TempDir
    Path work;

    private Collector collector;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1 << 20]);
    private final FrameWriter writer = new FrameWriter();
    private long sequence;

    private Collector start() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
            "data-dir", dataDir.toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
            "bind-address", "127.0.0.1", "ring-size", "16MiB", "model-window", "10s"));
        collector = new Collector(CollectorConfig.of(settings), m -> System.out.println("[collector] " + m)).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(20));
        return collector;
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    // ---- HTTP and CLI helpers -----------------------------------------------------------------------

    private Http.Answer post(String path, Object body) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + collector.httpPort() + path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)))
            .build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String url() {
        return "http://127.0.0.1:" + collector.httpPort();
    }

    // ---- agent frames -------------------------------------------------------------------------------

    private void send(TestAgent agent, int length) throws Exception {
        byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        agent.sendRaw(bytes);
        agent.awaitAck(sequence);
    }

    private void modelEvent(TestAgent agent, long time, ModelEventKind kind, String version, String stage,
                            String previous) throws Exception {
        WireWriter w = writer.begin(frame, 0, frame.capacity(), MessageType.MODEL_EVENT, ++sequence);
        new ModelEvent(time, kind, "loan", version, stage, previous, "", new byte[0], new byte[0], Map.of(), Map.of())
            .encode(w);
        send(agent, writer.finish());
    }

    /** One prediction: what the model said, and the truth that arrives later. */
    private record Scored(long time, String version, double x, String region, String predicted, double score,
                          String id, String truth) {
    }

    private void inferences(TestAgent agent, List<Scored> batch) throws Exception {
        WireWriter w = writer.begin(frame, 0, frame.capacity(), MessageType.INFERENCE, ++sequence);
        InferenceEncoder e = new InferenceEncoder().wrap(w, batch.get(0).time() * 1_000_000L);
        for (Scored s : batch) {
            boolean ok = e.record(s.time() * 1_000_000L, "loan", s.version(), 1_000_000L + (s.id().hashCode() & 0xFFFFF),
                Outcome.OK, PredictionKind.CLASS, s.predicted(), Double.NaN, s.score(), s.id(),
                new CharSequence[] {"x"}, new double[] {s.x()}, 1, new CharSequence[] {"region"},
                new CharSequence[] {s.region()}, 1);
            assertThat(ok).isTrue();
        }
        e.finish();
        send(agent, writer.finish());
    }

    private void labels(TestAgent agent, List<Scored> batch, long delayMs) throws Exception {
        WireWriter w = writer.begin(frame, 0, frame.capacity(), MessageType.LABELS, ++sequence);
        LabelsEncoder e = new LabelsEncoder().wrap(w, (batch.get(0).time() + delayMs) * 1_000_000L);
        for (Scored s : batch) {
            assertThat(e.label((s.time() + delayMs) * 1_000_000L, "loan", s.id(), PredictionKind.CLASS, s.truth(),
                Double.NaN)).isTrue();
        }
        e.finish();
        send(agent, writer.finish());
    }

    private static Map<String, Object> profile(Random random) {
        // Training inputs: x uniform on [0, 1) (an evenly spread sample, so a stationary window cannot
        // raise a false alarm by chance), regions half and half.
        List<Double> x = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            x.add((i + 0.5) / 2000);
        }
        return Map.of("numeric", Map.of("x", x), "categorical", Map.of("region", Map.of("north", 1000, "south", 1000)));
    }

    private static Map<String, Object> version(String version, Map<String, Object> profile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("dataset", Map.of("id", "loans-2026-11", "contentHash", "9f2c" + "0".repeat(60)));
        body.put("parameters", Map.of("algorithm", "logistic-regression", "positive_class", "default"));
        body.put("trainingMetrics", Map.of("accuracy", 0.9));
        body.put("actor", "ci");
        body.put("trainingProfile", profile);
        return body;
    }

    private long auditCount() throws Exception {
        return AuditJournal.readAll(dataDir.resolve("audit")).size();
    }

    // ---- the tests ----------------------------------------------------------------------------------

    @Test
    void countsOpenTelemetryGenAiDurationsAsInference() throws Exception {
        start();
        io.opentelemetry.sdk.metrics.SdkMeterProvider provider = io.opentelemetry.sdk.metrics.SdkMeterProvider.builder()
            .setResource(io.opentelemetry.sdk.resources.Resource.getDefault().merge(
                io.opentelemetry.sdk.resources.Resource.create(io.opentelemetry.api.common.Attributes.of(
                    io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "assistant"))))
            .registerMetricReader(io.opentelemetry.sdk.metrics.export.PeriodicMetricReader.builder(
                io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + collector.otlpPort() + "/v1/metrics").build())
                .setInterval(Duration.ofHours(1)).build())
            .build();
        try {
            var duration = provider.get("genai").histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                // The bucket boundaries the semantic conventions advise for this metric.
                .setExplicitBucketBoundariesAdvice(List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
                    10.24, 20.48, 40.96, 81.92)).build();
            var ok = io.opentelemetry.api.common.Attributes.builder().put("gen_ai.operation.name", "chat")
                .put("gen_ai.request.model", "chat").put("gen_ai.response.model", "chat-2026-01").build();
            var failed = ok.toBuilder().put("error.type", "timeout").build();
            for (int i = 0; i < 90; i++) {
                duration.record(0.2 + i * 0.001, ok);
            }
            for (int i = 0; i < 10; i++) {
                duration.record(5.0, failed);
            }
            assertThat(provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        Http.Answer stats = Http.await(collector.httpPort(), "/api/v1/models/chat/versions/chat-2026-01/stats",
            a -> a.status() == 200 && a.json().at("/data/requests").asDouble() == 100, Duration.ofSeconds(20));
        assertThat(stats.json().at("/data/sources/0").asText()).isEqualTo("otlp");
        assertThat(stats.json().at("/data/errors").asDouble()).isEqualTo(10);
        // The 90 fast calls fall in the bucket (0.16 s, 0.32 s], the slow ones in (2.56 s, 5.12 s]; the store
        // records a bucket at its midpoint.
        assertThat(stats.json().at("/data/latencyMs/p50").asDouble()).isBetween(160.0, 320.0);
        assertThat(stats.json().at("/data/latencyMs/p99").asDouble()).isBetween(2_560.0, 5_120.0);
    }


    @Test
    void servesModelsQualityDriftGatesAndAuditAcrossARestart() throws Exception {
        start();
        Random random = new Random(42);

        // Registry through the API, with training profiles.
        for (String v : List.of("1.0.0", "1.1.0", "1.2.0")) {
            Http.Answer a = post("/api/v1/models/loan/versions", version(v, profile(random)));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().at("/data/trainingProfile").asText()).hasSize(64);
        }
        Http.Answer bad = post("/api/v1/models/loan/versions", Map.of("version", "2.0.0",
            "trainingMetrics", Map.of("accuracy", "high")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("body.trainingMetrics.accuracy");
        bad = post("/api/v1/models/loan/versions", Map.of("versoin", "2.0.0"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("body.versoin");
        bad = post("/api/v1/models/loan/versions", "{not json");
        assertThat(bad.status()).isEqualTo(400);
        Http.Answer deployed = post("/api/v1/models/loan/aliases/production",
            Map.of("version", "1.0.0", "reason", "first rollout"));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
        assertThat(deployed.json().at("/data/changed").asBoolean()).isTrue();
        assertThat(post("/api/v1/models/loan/aliases/production", Map.of("version", "9.9.9")).status()).isEqualTo(404);

        // An agent serves three versions side by side, in windows half an hour ago.
        long now = System.currentTimeMillis();
        long base = Math.floorDiv(now - 1_800_000L, WINDOW) * WINDOW;
        List<Scored> all = new ArrayList<>();
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 7)) {
            agent.handshake("loan-scoring", "");
            modelEvent(agent, base - 5_000, ModelEventKind.DEPLOY, "1.1.0", "canary", "");
            for (int w = 0; w < WINDOWS; w++) {
                List<Scored> batch = new ArrayList<>();
                for (int i = 0; i < PER_WINDOW; i++) {
                    long t = base + w * WINDOW + i * (WINDOW / PER_WINDOW);
                    for (String v : List.of("1.0.0", "1.1.0", "1.2.0")) {
                        boolean canary = v.equals("1.1.0");
                        double x = ((i * 37) % PER_WINDOW + 0.5) / PER_WINDOW + (canary ? 0.5 : 0.0);
                        String region = i % 2 == 0 ? "north" : "south";
                        String predicted = i % 3 == 0 ? "default" : "repaid";
                        // 1.0.0 and 1.2.0 are right 9 times in 10, the canary 6 in 10.
                        boolean right = canary ? i % 10 < 6 : i % 10 != 0;
                        String truth = right ? predicted : (predicted.equals("default") ? "repaid" : "default");
                        batch.add(new Scored(t, v, x, region, predicted, right ? 0.8 : 0.6, v + "-" + w + "-" + i, truth));
                    }
                }
                inferences(agent, batch);
                all.addAll(batch);
            }
            // Labels a minute later: half from the agent, half through the HTTP API.
            List<Scored> viaAgent = new ArrayList<>();
            List<Map<String, Object>> viaApi = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                Scored s = all.get(i);
                if (i % 2 == 0) {
                    viaAgent.add(s);
                } else {
                    viaApi.add(Map.of("predictionId", s.id(), "label", s.truth(), "time", (s.time() + 60_000) / 1000.0));
                }
            }
            for (int i = 0; i < viaAgent.size(); i += 200) {
                labels(agent, viaAgent.subList(i, Math.min(viaAgent.size(), i + 200)), 60_000);
            }
            Http.Answer posted = post("/api/v1/models/loan/labels", viaApi);
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            assertThat(posted.json().at("/data/accepted").asInt()).isEqualTo(viaApi.size());
            bad = post("/api/v1/models/loan/labels", List.of(Map.of("label", "repaid")));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("error").asText()).contains("body[0].predictionId");
        }

        // Quality, once the labels are joined.
        String from = "&from=" + (base - 1) / 1000.0 + "&to=" + (base + WINDOWS * WINDOW) / 1000.0;
        Http.Answer q = Http.await(collector.httpPort(), "/api/v1/models/loan/versions/1.0.0/quality?" + from,
            a -> a.status() == 200 && a.json().at("/data/metrics/count").asDouble() == WINDOWS * PER_WINDOW,
            Duration.ofSeconds(30));
        assertThat(q.json().at("/data/metrics/accuracy").asDouble()).isEqualTo(0.9);
        assertThat(q.json().at("/data/windows")).hasSize(WINDOWS);
        Http.Answer canaryQuality = Http.get(collector.httpPort(), "/api/v1/models/loan/versions/1.1.0/quality?" + from);
        assertThat(canaryQuality.json().at("/data/metrics/accuracy").asDouble()).isEqualTo(0.6);

        // Stats: counts and latency from the store, the prediction distribution from the windows.
        Http.Answer stats = Http.await(collector.httpPort(), "/api/v1/models/loan/versions/1.0.0/stats?" + from,
            a -> a.status() == 200 && a.json().at("/data/requests").asDouble() == WINDOWS * PER_WINDOW
                && a.json().at("/data/windows").size() == WINDOWS, Duration.ofSeconds(20));
        assertThat(stats.json().at("/data/errors").asDouble()).isZero();
        assertThat(stats.json().at("/data/latencyMs/p99").asDouble()).isBetween(1.0, 2.1);
        assertThat(stats.json().at("/data/predictions/counts/default").asLong()).isEqualTo(WINDOWS * PER_WINDOW / 3);
        assertThat(Http.get(collector.httpPort(), "/api/v1/models/loan/versions/1.0.0/stats?from=yesterday").status())
            .isEqualTo(400);

        // Drift: the canary's inputs moved away from its training profile; production's did not.
        Http.Answer drift = Http.get(collector.httpPort(), "/api/v1/models/loan/versions/1.1.0/drift?reference=training");
        assertThat(drift.status()).as(drift.body()).isEqualTo(200);
        JsonNode x = null;
        for (JsonNode f : drift.json().at("/data/features")) {
            if (f.get("feature").asText().equals("x")) {
                x = f;
            }
        }
        assertThat(x).isNotNull();
        assertThat(x.get("drifted").asBoolean()).isTrue();
        assertThat(x.at("/histogram/edges")).hasSize(21);
        assertThat(x.at("/histogram/reference")).hasSize(20);
        assertThat(x.at("/histogram/current")).hasSize(20);
        Http.Answer prodDrift = Http.get(collector.httpPort(),
            "/api/v1/models/loan/versions/1.0.0/drift?reference=training");
        assertThat(prodDrift.json().at("/data/datasetDrift/drifted").asBoolean()).isFalse();
        assertThat(Http.get(collector.httpPort(), "/api/v1/models/loan/versions/1.1.0/drift?reference=version:production")
            .json().at("/data/referenceKind").asText()).isEqualTo("version_window");
        assertThat(Http.get(collector.httpPort(), "/api/v1/models/loan/versions/1.1.0/drift?reference=sideways").status())
            .isEqualTo(400);

        // Signals: drift of the canary, the agent's deploy and the API's deploy as changes.
        List<Signal> signals = collector.signals().find(s -> true, 10_000);
        assertThat(signals).anyMatch(s -> s.kind() == Signal.Kind.DRIFT && s.subject().equals("loan/1.1.0/x"));
        assertThat(signals).noneMatch(s -> s.kind() == Signal.Kind.DRIFT && s.subject().equals("loan/1.0.0/x"));
        assertThat(signals).anyMatch(s -> s.kind() == Signal.Kind.CHANGE
            && s.summary().equals("model loan deployed 1.1.0 to canary"));
        assertThat(signals).anyMatch(s -> s.kind() == Signal.Kind.CHANGE
            && s.summary().equals("model loan deployed 1.0.0 to production"));

        // The registry took the agent's MODEL_EVENT too.
        Http.Answer models = Http.await(collector.httpPort(), "/api/v1/models",
            a -> a.status() == 200 && a.json().at("/data/0/aliases/canary").asText().equals("1.1.0"), Duration.ofSeconds(10));
        assertThat(models.json().at("/data/0/name").asText()).isEqualTo("loan");
        assertThat(models.json().at("/data/0/versions")).hasSize(3);
        Http.Answer one = Http.get(collector.httpPort(), "/api/v1/models/loan");
        assertThat(one.json().at("/data/aliasHistory/production/0/reason").asText()).isEqualTo("first rollout");
        assertThat(one.json().at("/data/versions/0/dataset/id").asText()).isEqualTo("loans-2026-11");
        assertThat(Http.get(collector.httpPort(), "/api/v1/models/nothing").status()).isEqualTo(404);

        // Gates through the CLI against this collector: the good candidate passes, the canary fails.
        Path rules = work.resolve("rules.json");
        Files.writeString(rules, """
            {"metrics": [{"name": "accuracy", "direction": "higher_is_better", "min": 0.8, "max_regression_abs": 0.02}],
             "latency_p99_ms": {"max": 50},
             "drift": {"max_share": 0.5}}
            """);
        String window = "--from=" + (base - 1) / 1000.0;
        Path report = work.resolve("gate.json");
        Cli pass = cli("gate", "--model", "loan", "--candidate", "1.2.0", "--baseline", "production", "--rules",
            rules.toString(), "--url", url(), "--json", report.toString(), window);
        assertThat(pass.exit()).as(pass.out() + pass.err()).isZero();
        assertThat(pass.out()).contains("gate PASSED");
        assertThat(JSON.readTree(report.toFile()).get("passed").asBoolean()).isTrue();
        Cli fail = cli("gate", "--model", "loan", "--candidate", "1.1.0", "--baseline", "production", "--rules",
            rules.toString(), "--url", url(), window);
        assertThat(fail.exit()).as(fail.out() + fail.err()).isEqualTo(1);
        assertThat(fail.out()).contains("gate FAILED").contains("FAIL    accuracy").contains("FAIL    drift");
        assertThat(cli("gate", "--model", "loan", "--candidate", "1.1.0", "--rules", rules.toString()).exit()).isEqualTo(2);
        assertThat(cli("gate", "--model", "loan", "--candidate", "1.1.0", "--baseline", "production", "--rules",
            rules.toString(), "--url", "http://127.0.0.1:1").exit()).isEqualTo(2);
        Http.Answer badRules = post("/api/v1/models/loan/gate", Map.of("candidate", "1.1.0", "baseline", "production",
            "metrics", List.of(Map.of("name", "accuracy", "direction", "higher_is_better", "mni", 0.8))));
        assertThat(badRules.status()).isEqualTo(400);
        assertThat(badRules.json().get("error").asText()).contains("body.metrics[0].mni");

        // The models CLI changes the registry through the API.
        Cli list = cli("models", "list", "--url", url());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("loan").contains("production=1.0.0");
        Cli promote = cli("models", "promote", "--model", "loan", "--version", "1.2.0", "--reason", "gate passed",
            "--url", url());
        assertThat(promote.exit()).as(promote.err()).isZero();
        assertThat(cli("models", "rollback", "--model", "loan", "--alias", "canary", "--url", url()).exit()).isEqualTo(1);
        assertThat(cli("models", "--help").exit()).isZero();

        // The audit trail: newest first, intact.
        Http.Answer audit = Http.get(collector.httpPort(), "/api/v1/audit?limit=2");
        assertThat(audit.json().at("/data/0/kind").asText()).isEqualTo("alias.set");
        assertThat(audit.json().at("/data/0/detail/toVersion").asText()).isEqualTo("1.2.0");
        assertThat(audit.json().at("/data/0/previousHash").asText()).isEqualTo(audit.json().at("/data/1/hash").asText());
        assertThat(Http.get(collector.httpPort(), "/api/v1/audit/verify").json().at("/data/ok").asBoolean()).isTrue();
        long records = auditCount();

        // Restart on the same data folder: the journal replays predictions and labels.
        collector.close();
        collector = null;
        start();
        Http.Answer again = Http.await(collector.httpPort(), "/api/v1/models/loan/versions/1.0.0/quality?" + from,
            a -> a.status() == 200 && a.json().at("/data/metrics/count").asDouble() == WINDOWS * PER_WINDOW,
            Duration.ofSeconds(30));
        assertThat(again.json().at("/data/metrics/accuracy").asDouble()).isEqualTo(0.9);
        Http.Answer afterRestart = Http.get(collector.httpPort(), "/api/v1/models");
        assertThat(afterRestart.json().at("/data/0/aliases/production").asText()).isEqualTo("1.2.0");
        assertThat(afterRestart.json().at("/data/0/aliases/canary").asText()).isEqualTo("1.1.0");
        assertThat(collector.signals().find(s -> s.kind() == Signal.Kind.CHANGE
            && s.summary().equals("model loan deployed 1.1.0 to canary"), 10)).hasSize(1);
        assertThat(auditCount()).as("no audit record added by the replay").isEqualTo(records);
        Cli verified = cli("audit", "verify", "--data", dataDir.toString());
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).startsWith("OK");
        collector.close();
        collector = null;

        // Tamper with the reason of the first alias change: the first bad record is named.
        Path log = dataDir.resolve("audit").resolve(AuditJournal.LOG_FILE);
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("first rollout");
        assertThat(at).isPositive();
        byte[] forged = "fixed rollout".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(forged, 0, bytes, at, forged.length);
        Files.write(log, bytes);
        long changedSeq = AuditJournal.readAll(dataDir.resolve("audit")).stream()
            .filter(r -> r.body().contains("fixed rollout")).findFirst().orElseThrow().seq();
        Cli tampered = cli("audit", "verify", "--data", dataDir.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains("CHANGED").contains("seq " + changedSeq);
        start();
        Http.Answer verify = Http.get(collector.httpPort(), "/api/v1/audit/verify");
        assertThat(verify.json().at("/data/ok").asBoolean()).isFalse();
        assertThat(verify.json().at("/data/firstBad/seq").asLong()).isEqualTo(changedSeq);
        assertThat(verify.json().at("/data/firstBad/problem").asText()).isEqualTo("CHANGED");
    }
}
