package io.sextant.collector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.http.Request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Test-only answers, in the shapes collector/API.md fixes, for the analysis, model and audit endpoints
 * that other branches are building: the expected band and anomalies of one series (computed from the
 * same generator that fed the collector), its forecast, log templates, a model with versions, serving
 * statistics, quality windows, drift per feature, a gate, and an audit trail. Switched on only by the
 * test that checks the pages draw such data; while off it answers nothing and the collector's own
 * endpoints (or their absence) show through.
 */
final class SampleAnalysis implements ApiModule
{
    static final String MODEL = "fraud-scorer";

    private final ObjectMapper json = new ObjectMapper();
    private volatile String series;
    private volatile Map<String, String> labels;
    private volatile Map<String, Object> anomaly;
    private final long anomalyMillis;
    private final long startMillis;
    private final long endMillis;
    private final DoubleUnaryOperator valueAt;
    private final DoubleUnaryOperator baselineAt;
    private volatile boolean enabled;

    /**
     * @param valueAt    the value the test sent at a time (Unix millis).
     * @param baselineAt the value without the injected step, the band's centre.
     */
    SampleAnalysis(final long startMillis, final long endMillis, final DoubleUnaryOperator valueAt,
        final DoubleUnaryOperator baselineAt, final long anomalyMillis)
    {
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.valueAt = valueAt;
        this.baselineAt = baselineAt;
        this.anomalyMillis = anomalyMillis;
    }

    /**
     * Answers from now on, with the band and anomaly for the series named by a selector and its labels.
     */
    void enable(final String series, final Map<String, String> labels)
    {
        this.series = series;
        this.labels = labels;
        final Map<String, Object> anomaly = new LinkedHashMap<>();
        anomaly.put("id", series + "@" + anomalyMillis);
        anomaly.put("kind", "METRIC_ANOMALY");
        anomaly.put("source", "sextant");
        anomaly.put("service", labels.get("service"));
        anomaly.put("subject", series);
        anomaly.put("labels", labels);
        anomaly.put("start", anomalyMillis / 1000.0);
        anomaly.put("end", null);
        anomaly.put("score", 0.97);
        anomaly.put("severity", "CRITICAL");
        anomaly.put("observed", valueAt.applyAsDouble(anomalyMillis));
        anomaly.put("expectedLow", baselineAt.applyAsDouble(anomalyMillis) * 0.85);
        anomaly.put("expectedHigh", baselineAt.applyAsDouble(anomalyMillis) * 1.15);
        anomaly.put("open", true);
        anomaly.put("summary", "jvm.memory.used far above its expected band");
        this.anomaly = anomaly;
        enabled = true;
    }

    void disable()
    {
        enabled = false;
    }

    @Override
    public Object respond(final Request request)
    {
        if (!enabled)
        {
            return null;
        }
        final String path = request.path();
        final String base = "/api/v1/models/" + MODEL;
        return switch (path)
        {
            case "/api/v1/expected" -> series.equals(request.param("series")) ? expected() : null;
            case "/api/v1/forecast" -> series.equals(request.param("series")) ? forecast() : null;
            case "/api/v1/anomalies", "/api/v1/signals" -> List.of(anomaly);
            case "/api/v1/logs/templates" -> templates();
            case "/api/v1/models" -> List.of(Map.of("name", MODEL, "versions", List.of("1.0.0", "1.1.0"),
                "aliases", Map.of("production", "1.0.0", "candidate", "1.1.0")));
            case base -> model();
            case base + "/versions/1.0.0/stats", base + "/versions/1.1.0/stats" -> stats();
            case base + "/versions/1.0.0/quality", base + "/versions/1.1.0/quality" -> quality();
            case base + "/versions/1.0.0/drift", base + "/versions/1.1.0/drift" -> drift();
            case base + "/gate" -> gate(request);
            case "/api/v1/audit" -> audit();
            case "/api/v1/audit/verify" -> verify();
            default -> null;
        };
    }

    private Map<String, Object> expected()
    {
        final List<double[]> values = new ArrayList<>();
        final List<double[]> low = new ArrayList<>();
        final List<double[]> high = new ArrayList<>();
        for (long t = startMillis; t <= endMillis; t += 10_000)
        {
            final double centre = baselineAt.applyAsDouble(t);
            values.add(new double[] {t / 1000.0, valueAt.applyAsDouble(t)});
            low.add(new double[] {t / 1000.0, centre * 0.85});
            high.add(new double[] {t / 1000.0, centre * 1.15});
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", labels);
        m.put("values", values);
        m.put("low", low);
        m.put("high", high);
        m.put("anomalies", List.of(anomaly));
        return m;
    }

    private Map<String, Object> forecast()
    {
        final List<double[]> points = new ArrayList<>();
        final double last = valueAt.applyAsDouble(endMillis);
        for (int i = 1; i <= 90; i++)
        {
            final double t = endMillis / 1000.0 + i * 10;
            final double mean = last * (1 + 0.002 * i);
            points.add(new double[] {t, mean, mean * (1 - 0.004 * i), mean * (1 + 0.004 * i)});
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", labels);
        m.put("points", points);
        m.put("season", 1800);
        m.put("timeToThreshold", 1200);
        return m;
    }

    private List<Map<String, Object>> templates()
    {
        final double end = endMillis / 1000.0;
        return List.of(
            template("t1", "payment failed for order <*>", 40, false, Map.of("ERROR", 40), end),
            template("t2", "user <*> logged in", 40, false, Map.of("INFO", 40), end),
            template("t3", "connection pool exhausted after <*> ms", 3, true, Map.of("WARN", 3), end));
    }

    private static Map<String, Object> template(final String id, final String text, final int count,
        final boolean isNew, final Map<String, Integer> levels, final double end)
    {
        final List<double[]> trend = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            trend.add(new double[] {end - (10 - i) * 60, isNew ? (i > 7 ? 1 + i - 8 : 0) : count / 10.0 + (i % 3)});
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("service", "payments");
        m.put("template", text);
        m.put("count", count);
        m.put("firstSeen", isNew ? end - 90 : end - 600);
        m.put("lastSeen", end - 5);
        m.put("levels", levels);
        m.put("trend", trend);
        m.put("new", isNew);
        return m;
    }

    private Map<String, Object> model()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", MODEL);
        m.put("versions", List.of(
            version("1.0.0", 0.91, "sha256:4f2a"), version("1.1.0", 0.93, "sha256:9c1d")));
        m.put("aliases", Map.of("production", "1.0.0", "candidate", "1.1.0"));
        m.put("aliasHistory", List.of(
            Map.of("time", startMillis / 1000.0, "alias", "production", "fromVersion", "", "toVersion", "1.0.0",
                "actor", "ci", "reason", "first deployment"),
            Map.of("time", startMillis / 1000.0 + 300, "alias", "candidate", "fromVersion", "", "toVersion", "1.1.0",
                "actor", "ci", "reason", "shadow test")));
        return m;
    }

    private Map<String, Object> version(final String v, final double auc, final String digest)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v);
        m.put("dataset", Map.of("id", "transactions-2026-11", "hash", "sha256:aa01"));
        m.put("parameters", Map.of("trees", "200", "depth", "8"));
        m.put("trainingMetrics", Map.of("auc", auc));
        m.put("digest", digest);
        m.put("registered", startMillis / 1000.0);
        return m;
    }

    private Map<String, Object> stats()
    {
        final List<Map<String, Object>> windows = new ArrayList<>();
        for (long t = startMillis; t < endMillis; t += 60_000)
        {
            final Map<String, Object> w = new LinkedHashMap<>();
            final int minute = (int)((t - startMillis) / 60_000);
            w.put("start", t / 1000.0);
            w.put("end", (t + 60_000) / 1000.0);
            w.put("requests", 600 + 10 * minute);
            w.put("errors", minute > 6 ? 12 : 1);
            w.put("latencyP50Ms", 4.0 + minute * 0.1);
            w.put("latencyP99Ms", 18.0 + (minute > 6 ? 30 : 0));
            windows.add(w);
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", 6450);
        m.put("errorRate", 0.008);
        m.put("latencyP99Ms", 31.0);
        m.put("windows", windows);
        m.put("predictions", Map.of("edges", List.of(0.0, 0.25, 0.5, 0.75, 1.0),
            "reference", List.of(700, 200, 70, 30), "current", List.of(500, 250, 150, 100)));
        return m;
    }

    private Map<String, Object> quality()
    {
        final List<Map<String, Object>> windows = new ArrayList<>();
        for (long t = startMillis; t < endMillis; t += 120_000)
        {
            final int i = (int)((t - startMillis) / 120_000);
            windows.add(Map.of("start", t / 1000.0, "end", (t + 120_000) / 1000.0, "accuracy", 0.95 - 0.01 * i,
                "f1", 0.9 - 0.015 * i, "auc", 0.96 - 0.005 * i, "labelled", 120));
        }
        return Map.of("windows", windows);
    }

    private static List<Map<String, Object>> drift()
    {
        final Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("feature", "amount");
        amount.put("statistic", "psi");
        amount.put("value", 0.31);
        amount.put("threshold", 0.2);
        amount.put("drifted", true);
        amount.put("histogram", Map.of("edges", List.of(0, 10, 50, 100, 500, 1000),
            "reference", List.of(300, 400, 200, 80, 20), "current", List.of(150, 250, 250, 200, 150)));
        final Map<String, Object> country = new LinkedHashMap<>();
        country.put("feature", "country");
        country.put("statistic", "chi2");
        country.put("value", 0.04);
        country.put("threshold", 0.1);
        country.put("drifted", false);
        country.put("histogram", Map.of("categories", List.of("DE", "FR", "US", "other"),
            "reference", List.of(40, 30, 20, 10), "current", List.of(38, 31, 21, 10)));
        return List.of(amount, country);
    }

    private Map<String, Object> gate(final Request request)
    {
        final JsonNode body;
        try
        {
            body = json.readTree(request.body());
        }
        catch (final IOException ex)
        {
            throw new BadParameterException("body", "not JSON: " + ex.getMessage());
        }
        final Map<String, Object> check = new LinkedHashMap<>();
        check.put("subject", "latency.p99");
        check.put("kind", "max-increase");
        check.put("candidate", 48.0);
        check.put("baseline", 18.0);
        check.put("observed", 1.67);
        check.put("limit", 0.2);
        check.put("outcome", "FAIL");
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", MODEL);
        m.put("candidate", body.path("candidate").asText());
        m.put("baseline", body.path("baseline").asText());
        m.put("baselineVersion", "1.0.0");
        m.put("passed", false);
        m.put("checks", List.of(check));
        return m;
    }

    private static Map<String, Object> verify()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("records", 3);
        m.put("firstBad", null);
        return m;
    }

    private List<Map<String, Object>> audit()
    {
        final double t = startMillis / 1000.0;
        return List.of(
            audit(3, t + 400, "gate", "ci", MODEL, Map.of("candidate", "1.1.0", "passed", true), "c3", "b2"),
            audit(2, t + 300, "alias", "ci", MODEL, Map.of("alias", "candidate", "version", "1.1.0"), "b2", "a1"),
            audit(1, t, "model-version", "ci", MODEL, Map.of("version", "1.0.0"), "a1", "00"));
    }

    private static Map<String, Object> audit(final long seq, final double time, final String kind, final String actor,
        final String subject, final Map<String, Object> detail, final String hash, final String previous)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("time", time);
        m.put("kind", kind);
        m.put("actor", actor);
        m.put("subject", subject);
        m.put("detail", detail);
        m.put("hash", hash.repeat(16));
        m.put("previousHash", previous.repeat(16));
        return m;
    }
}
