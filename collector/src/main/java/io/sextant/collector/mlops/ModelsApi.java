package io.sextant.collector.mlops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.collector.api.ApiException;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.api.TimeParams;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.audit.AuditRecord;
import io.sextant.collector.audit.VerifyResult;
import io.sextant.collector.http.Request;
import io.sextant.collector.mlops.gate.GateCheck;
import io.sextant.collector.mlops.gate.GateEvaluator;
import io.sextant.collector.mlops.gate.GateEvidence;
import io.sextant.collector.mlops.gate.GateEvidenceSource;
import io.sextant.collector.mlops.gate.GateResult;
import io.sextant.collector.mlops.gate.GateRules;
import io.sextant.collector.mlops.gate.LiveEvidenceSource;
import io.sextant.collector.mlops.monitor.FeatureProfile;
import io.sextant.collector.mlops.monitor.WindowSummary;
import io.sextant.collector.mlops.registry.AliasChange;
import io.sextant.collector.mlops.registry.Dataset;
import io.sextant.collector.mlops.registry.ModelRegistry;
import io.sextant.collector.mlops.registry.ModelVersion;
import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.Matcher;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The model and audit endpoints of the query API ({@code collector/API.md}, "Models"): the registry
 * (through the {@link ModelService} thread), inference statistics (latency and counts from the store's
 * {@code sextant.inference.*} series and from OTLP metrics of the OpenTelemetry GenAI semantic conventions;
 * prediction distributions from the {@link ModelStage}), quality, drift, delayed labels, gates, and the
 * audit trail with its verification. JSON bodies are parsed with Jackson; a bad body gets 400 naming the
 * field.
 *
 * <p>HTTP executor threads; state is reached through {@link ModelService#call} and {@link ModelStage#ask}.
 */
public final class ModelsApi implements ApiModule {

    private static final String MODELS = "/api/v1/models";
    private static final int MAX_LABELS = 10_000;
    /** OpenTelemetry GenAI semantic-convention duration histograms counted as inference. */
    static final List<String> OTEL_DURATIONS = List.of("gen_ai.client.operation.duration",
        "gen_ai.server.request.duration");

    private static final ObjectMapper STRICT = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();

    private final ModelService service;
    private final ModelStage stage;
    private final SeriesStore store;
    private final LongSupplier clock;

    public ModelsApi(ModelService service, ModelStage stage, SeriesStore store, LongSupplier clockMs) {
        this.service = service;
        this.stage = stage;
        this.store = store;
        this.clock = clockMs;
    }

    @Override
    public Object respond(Request request) {
        String path = request.path();
        if (path.equals("/api/v1/audit")) {
            requireMethod(request, "GET");
            return audit(request);
        }
        if (path.equals("/api/v1/audit/verify")) {
            requireMethod(request, "GET");
            return verify();
        }
        if (!path.equals(MODELS) && !path.startsWith(MODELS + "/")) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String p : path.substring(MODELS.length()).split("/")) {
            if (!p.isEmpty()) {
                parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
        }
        if (parts.isEmpty()) {
            requireMethod(request, "GET");
            return list();
        }
        String model = parts.get(0);
        if (parts.size() == 1) {
            requireMethod(request, "GET");
            return show(model);
        }
        String what = parts.get(1);
        if (parts.size() == 2 && what.equals("versions")) {
            requireMethod(request, "POST");
            return register(model, request);
        }
        if (parts.size() == 2 && what.equals("labels")) {
            requireMethod(request, "POST");
            return labels(model, request);
        }
        if (parts.size() == 2 && what.equals("gate")) {
            requireMethod(request, "POST");
            return gate(model, request);
        }
        if (parts.size() == 3 && what.equals("aliases")) {
            requireMethod(request, "POST");
            return alias(model, parts.get(2), request);
        }
        if (parts.size() == 4 && what.equals("versions")) {
            requireMethod(request, "GET");
            String version = parts.get(2);
            return switch (parts.get(3)) {
                case "stats" -> stats(model, version, request);
                case "quality" -> quality(model, version, request);
                case "drift" -> drift(model, version, request);
                default -> throw ApiException.notFound("no endpoint " + path + "; a version has stats, quality and drift");
            };
        }
        throw ApiException.notFound("no endpoint " + path + "; see /api/v1/models, /api/v1/models/NAME, "
            + ".../versions, .../aliases/ALIAS, .../versions/V/stats|quality|drift, .../labels, .../gate");
    }

    private static void requireMethod(Request request, String method) {
        if (!request.method().equals(method) && !(method.equals("GET") && request.method().equals("HEAD"))) {
            throw new ApiException(405, "bad_method", "method " + request.method() + " not allowed on "
                + request.path() + "; use " + method);
        }
    }

    // ---- registry ------------------------------------------------------------------------------

    private List<Map<String, Object>> list() {
        Map<String, Set<String>> seen = stage.live() ? stage.ask(ModelStage::versionsSeen) : Map.of();
        return service.call(r -> {
            TreeSet<String> names = new TreeSet<>(r.models());
            names.addAll(seen.keySet());
            List<Map<String, Object>> out = new ArrayList<>();
            for (String name : names) {
                TreeSet<String> versions = new TreeSet<>(seen.getOrDefault(name, Set.of()));
                r.versions(name).forEach(v -> versions.add(v.version()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", name);
                m.put("versions", List.copyOf(versions));
                m.put("aliases", r.aliases(name));
                out.add(m);
            }
            return out;
        });
    }

    private Map<String, Object> show(String model) {
        Map<String, Set<String>> seen = stage.live() ? stage.ask(ModelStage::versionsSeen) : Map.of();
        Map<String, Map<String, String>> profiles = service.profileDigests();
        return service.call(r -> {
            if (!r.models().contains(model) && !seen.containsKey(model)) {
                throw ApiException.notFound("no model " + model);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", model);
            List<Map<String, Object>> versions = new ArrayList<>();
            for (ModelVersion v : r.versions(model)) {
                Map<String, Object> vm = versionJson(v, r);
                vm.put("trainingProfile", profiles.getOrDefault(model, Map.of()).get(v.version()));
                versions.add(vm);
            }
            m.put("versions", versions);
            m.put("seenVersions", List.copyOf(new TreeSet<>(seen.getOrDefault(model, Set.of()))));
            Map<String, String> aliases = r.aliases(model);
            m.put("aliases", aliases);
            Map<String, Object> history = new LinkedHashMap<>();
            for (String alias : aliases.keySet()) {
                List<Map<String, Object>> h = new ArrayList<>();
                for (AliasChange c : r.aliasHistory(model, alias)) {
                    h.add(aliasJson(c));
                }
                history.put(alias, h);
            }
            m.put("aliasHistory", history);
            return m;
        });
    }

    private static Map<String, Object> versionJson(ModelVersion v, ModelRegistry r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", v.model());
        m.put("version", v.version());
        m.put("datasetId", v.datasetId());
        m.put("datasetHash", v.datasetHash());
        Dataset d = v.datasetId() == null ? null : r.dataset(v.datasetId()).orElse(null);
        m.put("dataset", d == null ? null : Map.of("id", d.id(), "contentHash", d.contentHash(),
            "description", d.description() == null ? "" : d.description(), "registered", d.registeredAtMs() / 1000.0));
        m.put("parameters", v.params());
        m.put("trainingMetrics", clean(v.trainingMetrics()));
        m.put("artifactDigest", v.artifactDigest());
        m.put("registered", v.registeredAtMs() / 1000.0);
        m.put("actor", v.actor());
        return m;
    }

    private static Map<String, Object> aliasJson(AliasChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.model());
        m.put("alias", c.alias());
        m.put("fromVersion", c.fromVersion());
        m.put("toVersion", c.toVersion());
        m.put("operation", c.operation());
        m.put("reason", c.reason());
        m.put("actor", c.actor());
        m.put("time", c.timestampMs() / 1000.0);
        m.put("auditSeq", c.auditSeq());
        return m;
    }

    /** Body of {@code POST /api/v1/models/NAME/versions}. */
    record RegisterBody(String version, DatasetBody dataset, String datasetId, String datasetHash,
                        Map<String, String> parameters, Map<String, Double> trainingMetrics, String artifactDigest,
                        String actor, ProfileBody trainingProfile) {
    }

    /** A dataset registered along with the version. */
    record DatasetBody(String id, String contentHash, String description) {
    }

    /**
     * A training profile: numeric features as samples of their training values, categorical features as
     * counts per category. The names {@code prediction} and {@code prediction_score} describe the model's
     * predictions on held-out data.
     */
    record ProfileBody(Map<String, List<Double>> numeric, Map<String, Map<String, Long>> categorical) {
    }

    private Map<String, Object> register(String model, Request request) {
        RegisterBody b = parse(request, RegisterBody.class);
        if (b.version() == null || b.version().isBlank()) {
            throw new BadParameterException("body.version", "missing");
        }
        if (b.dataset() != null && (b.dataset().id() == null || b.dataset().id().isBlank())) {
            throw new BadParameterException("body.dataset.id", "missing");
        }
        if (b.dataset() != null && (b.dataset().contentHash() == null || b.dataset().contentHash().isBlank())) {
            throw new BadParameterException("body.dataset.contentHash", "missing (SHA-256 of the dataset's content)");
        }
        FeatureProfile profile = b.trainingProfile() == null ? null : profile(b.trainingProfile());
        String actor = b.actor() == null || b.actor().isBlank() ? "api" : b.actor();
        String[] sha = new String[1];
        Map<String, Object> answer = service.call(r -> {
            String datasetId = b.datasetId();
            String datasetHash = b.datasetHash();
            if (b.dataset() != null) {
                Dataset d = r.registerDataset(b.dataset().id(), b.dataset().contentHash(), b.dataset().description(),
                    actor);
                datasetId = d.id();
                datasetHash = d.contentHash();
            }
            long before = service.auditRecords();
            ModelVersion v = r.registerVersion(model, b.version(), datasetId, datasetHash, b.parameters(),
                b.trainingMetrics(), b.artifactDigest(), actor);
            String known = service.profileDigests().getOrDefault(model, Map.of()).get(b.version());
            if (profile != null) {
                String s = service.registerProfile(r, model, b.version(), profile, actor);
                if (!s.equals(known)) {
                    sha[0] = s;
                }
            }
            if (service.auditRecords() > before) {
                service.changed();
            }
            Map<String, Object> m = versionJson(v, r);
            m.put("trainingProfile", profile == null ? known : service.profileDigests().get(model).get(b.version()));
            return m;
        });
        if (sha[0] != null) {
            Map<String, Object> notice = new LinkedHashMap<>();
            notice.put("type", "profile");
            notice.put("model", model);
            notice.put("version", b.version());
            notice.put("sha256", sha[0]);
            service.journalAndWait(notice);
        }
        return answer;
    }

    private static FeatureProfile profile(ProfileBody p) {
        Map<String, NumericSketch> num = new HashMap<>();
        if (p.numeric() != null) {
            for (Map.Entry<String, List<Double>> e : p.numeric().entrySet()) {
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw new BadParameterException("body.trainingProfile.numeric." + e.getKey(),
                        "needs a non-empty array of training values");
                }
                NumericSketch s = new NumericSketch();
                for (int i = 0; i < e.getValue().size(); i++) {
                    Double v = e.getValue().get(i);
                    if (v == null) {
                        throw new BadParameterException("body.trainingProfile.numeric." + e.getKey() + "[" + i + "]",
                            "not a number");
                    }
                    s.update(v);
                }
                num.put(e.getKey(), s);
            }
        }
        Map<String, CategoricalSketch> cat = new HashMap<>();
        if (p.categorical() != null) {
            for (Map.Entry<String, Map<String, Long>> e : p.categorical().entrySet()) {
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw new BadParameterException("body.trainingProfile.categorical." + e.getKey(),
                        "needs an object of counts per category");
                }
                CategoricalSketch s = new CategoricalSketch();
                for (Map.Entry<String, Long> c : new TreeMap<>(e.getValue()).entrySet()) {
                    if (c.getValue() == null || c.getValue() < 0) {
                        throw new BadParameterException("body.trainingProfile.categorical." + e.getKey() + "."
                            + c.getKey(), "needs a count >= 0");
                    }
                    s.add(c.getKey(), c.getValue());
                }
                cat.put(e.getKey(), s);
            }
        }
        if (num.isEmpty() && cat.isEmpty()) {
            throw new BadParameterException("body.trainingProfile", "has no numeric or categorical feature");
        }
        return new FeatureProfile(num, cat);
    }

    /** Body of {@code POST /api/v1/models/NAME/aliases/ALIAS}. */
    record AliasBody(String version, String operation, String from, String reason, String actor) {
    }

    private Map<String, Object> alias(String model, String alias, Request request) {
        AliasBody b = parse(request, AliasBody.class);
        String op = b.operation() == null ? (b.version() == null && b.from() != null ? "promote" : "deploy")
            : b.operation().toLowerCase(Locale.ROOT);
        if (!op.equals("deploy") && !op.equals("promote") && !op.equals("rollback")) {
            throw new BadParameterException("body.operation", "'" + b.operation() + "' is not deploy, promote or rollback");
        }
        if (op.equals("deploy") && (b.version() == null || b.version().isBlank())) {
            throw new BadParameterException("body.version", "missing (the version the alias should point to)");
        }
        if (op.equals("promote") && b.version() == null && b.from() == null) {
            throw new BadParameterException("body.version", "missing (or give body.from, the alias to promote from)");
        }
        String actor = b.actor() == null || b.actor().isBlank() ? "api" : b.actor();
        Object[] result = service.call(r -> {
            long before = service.auditRecords();
            AliasChange c = switch (op) {
                case "deploy" -> r.deploy(model, b.version(), alias, actor, b.reason());
                case "promote" -> b.version() != null ? r.promoteVersion(model, b.version(), alias, actor, b.reason())
                    : r.promote(model, b.from(), alias, actor, b.reason());
                default -> r.rollbackTo(model, alias, b.version(), actor, b.reason());
            };
            boolean changed = service.auditRecords() > before;
            if (changed) {
                service.changed();
            }
            return new Object[] {c, changed};
        });
        AliasChange c = (AliasChange) result[0];
        boolean changed = (Boolean) result[1];
        if (changed) {
            service.journalAndWait(ModelService.aliasNotice(c));
        }
        Map<String, Object> m = aliasJson(c);
        m.put("changed", changed);
        return m;
    }

    // ---- labels --------------------------------------------------------------------------------

    private Map<String, Object> labels(String model, Request request) {
        JsonNode body = tree(request);
        if (!body.isArray()) {
            throw new BadParameterException("body", "expected a JSON array of {\"predictionId\", \"label\" or \"value\", \"time\"}");
        }
        if (body.size() > MAX_LABELS) {
            throw new BadParameterException("body", body.size() + " labels; at most " + MAX_LABELS + " per request");
        }
        long now = clock.getAsLong();
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            JsonNode l = body.get(i);
            String at = "body[" + i + "]";
            if (!l.isObject()) {
                throw new BadParameterException(at, "expected an object");
            }
            for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("predictionId", "label", "value", "time").contains(f)) {
                    throw new BadParameterException(at + "." + f, "unknown field; expected predictionId, label or value, time");
                }
            }
            JsonNode id = l.get("predictionId");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                throw new BadParameterException(at + ".predictionId", "missing or not a non-empty string");
            }
            JsonNode cls = l.get("label");
            JsonNode value = l.get("value");
            if ((cls == null) == (value == null)) {
                throw new BadParameterException(at, "needs exactly one of label (a class) and value (a number)");
            }
            if (cls != null && !(cls.isTextual() || cls.isNumber() || cls.isBoolean())) {
                throw new BadParameterException(at + ".label", "not a class name");
            }
            if (value != null && !value.isNumber()) {
                throw new BadParameterException(at + ".value", "not a number");
            }
            long time = now;
            JsonNode t = l.get("time");
            if (t != null && !t.isNull()) {
                if (t.isNumber()) {
                    time = Math.round(t.asDouble() * 1000.0);
                } else if (t.isTextual()) {
                    time = TimeParams.time(at + ".time", t.asText(), now);
                } else {
                    throw new BadParameterException(at + ".time", "not a time (Unix seconds or RFC 3339)");
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("predictionId", id.asText());
            if (cls != null) {
                m.put("label", cls.asText());
            } else {
                m.put("value", value.asDouble());
            }
            m.put("time", time);
            labels.add(m);
        }
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("type", "labels");
        notice.put("model", model);
        notice.put("labels", labels);
        service.journalAndWait(notice);
        return Map.of("model", model, "accepted", labels.size());
    }

    // ---- statistics ----------------------------------------------------------------------------

    private long[] range(Request request) {
        long now = clock.getAsLong();
        long from = request.param("from") == null ? now - 3_600_000L : TimeParams.time("from", request.param("from"), now);
        long to = request.param("to") == null ? now : TimeParams.time("to", request.param("to"), now);
        if (to < from) {
            throw new BadParameterException("to", "is before from");
        }
        return new long[] {from, to};
    }

    private Map<String, Object> stats(String model, String version, Request request) {
        long[] r = range(request);
        long from = r[0];
        long to = r[1];
        Histogram latencyMicros = new Histogram(3);
        latencyMicros.setAutoResize(true);
        double requests = 0;
        double errors = 0;
        Set<String> sources = new TreeSet<>();
        for (Series s : store.catalog().select(List.of(
            Matcher.of("__name__", Matcher.Op.EQ, "sextant.inference.latency"),
            Matcher.of("model", Matcher.Op.EQ, model), Matcher.of("version", Matcher.Op.EQ, version)))) {
            if (s instanceof HistogramSeries h) {
                addScaled(latencyMicros, h.merge(from, to), h.unit());
                sources.add("agent");
            }
        }
        for (Series s : store.catalog().select(List.of(
            Matcher.of("__name__", Matcher.Op.EQ, "sextant.inference.count"),
            Matcher.of("model", Matcher.Op.EQ, model), Matcher.of("version", Matcher.Op.EQ, version)))) {
            if (s instanceof MetricSeries m) {
                double n = increase(m, from, to);
                requests += n;
                if ("ERROR".equals(s.labels().get("outcome"))) {
                    errors += n;
                }
            }
        }
        // OpenTelemetry GenAI semantic conventions: the model is gen_ai.request.model, the version the
        // concrete gen_ai.response.model that answered; a failed call carries error.type.
        for (String name : OTEL_DURATIONS) {
            for (Series s : store.catalog().select(List.of(Matcher.of("__name__", Matcher.Op.EQ, name),
                Matcher.of("gen_ai.request.model", Matcher.Op.EQ, model)))) {
                if (!version.equals(s.labels().getOrDefault("gen_ai.response.model", model))) {
                    continue;
                }
                if (s instanceof HistogramSeries h) {
                    Histogram merged = h.merge(from, to);
                    addScaled(latencyMicros, merged, h.unit());
                    double n = merged.getTotalCount();
                    requests += n;
                    if (s.labels().containsKey("error.type")) {
                        errors += n;
                    }
                    sources.add("otlp");
                }
            }
        }
        Map<String, Object> predictions = null;
        List<Map<String, Object>> windows = null;
        if (stage.live()) {
            Object[] a = stage.ask(st -> new Object[] {st.predictions(model, version, from, to),
                st.windows(model, version, from - st.windowMs() + 1, to)});
            predictions = castMap(a[0]);
            windows = new ArrayList<>();
            for (Object o : (List<?>) a[1]) {
                windows.add(windowJson((WindowSummary) o));
            }
        }
        if (sources.isEmpty() && (windows == null || windows.isEmpty())) {
            boolean registered = service.call(reg -> reg.version(model, version).isPresent());
            if (!registered) {
                throw ApiException.notFound("no inference data and no registered version " + version + " of model " + model);
            }
        }
        double seconds = Math.max(0.001, (to - from) / 1000.0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("version", version);
        m.put("from", from / 1000.0);
        m.put("to", to / 1000.0);
        m.put("sources", List.copyOf(sources));
        m.put("requests", requests);
        m.put("errors", errors);
        m.put("requestRate", requests / seconds);
        m.put("errorRate", errors / seconds);
        m.put("errorShare", requests == 0 ? null : errors / requests);
        Map<String, Object> lat = new LinkedHashMap<>();
        boolean any = latencyMicros.getTotalCount() > 0;
        lat.put("count", latencyMicros.getTotalCount());
        lat.put("p50", any ? latencyMicros.getValueAtPercentile(50) / 1000.0 : null);
        lat.put("p90", any ? latencyMicros.getValueAtPercentile(90) / 1000.0 : null);
        lat.put("p99", any ? latencyMicros.getValueAtPercentile(99) / 1000.0 : null);
        lat.put("p99.9", any ? latencyMicros.getValueAtPercentile(99.9) / 1000.0 : null);
        lat.put("max", any ? latencyMicros.getMaxValue() / 1000.0 : null);
        m.put("latencyMs", lat);
        m.put("predictions", predictions);
        m.put("windows", windows);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static void addScaled(Histogram into, Histogram h, String unit) {
        double toMicros = switch (unit) {
            case "ns" -> 0.001;
            case "us" -> 1.0;
            case "ms" -> 1000.0;
            case "s" -> 1_000_000.0;
            default -> 1000.0;
        };
        for (var v : h.recordedValues()) {
            into.recordValueWithCount(Math.max(0, Math.round(v.getValueIteratedTo() * toMicros)), v.getCountAtValueIteratedTo());
        }
    }

    /** The increase of a counter over [from, to] (resets counted from 0; a series born in the range from 0). */
    static double increase(MetricSeries s, long from, long to) {
        double[] st = {Double.NaN, 0.0};
        s.read(Long.MIN_VALUE, to, (t, v) -> {
            if (t < from) {
                st[0] = v;
                return;
            }
            double previous = Double.isNaN(st[0]) ? 0.0 : st[0];
            st[1] += v >= previous ? v - previous : v;
            st[0] = v;
        });
        return st[1];
    }

    private static Map<String, Object> windowJson(WindowSummary w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", w.startMs() / 1000.0);
        m.put("end", w.endMs() / 1000.0);
        m.put("requests", w.requests());
        m.put("errors", w.errors());
        m.put("latencyP50Ms", finite(w.latencyP50Ms()));
        m.put("latencyP90Ms", finite(w.latencyP90Ms()));
        m.put("latencyP99Ms", finite(w.latencyP99Ms()));
        m.put("latencyP999Ms", finite(w.latencyP999Ms()));
        m.put("driftReference", w.reference() == null ? null : w.reference().name().toLowerCase(Locale.ROOT));
        m.put("driftShare", finite(w.driftShare()));
        m.put("datasetDrift", w.datasetDrift());
        m.put("driftedFeatures", w.driftedFeatures());
        m.put("predictionDrift", w.predictionDrift());
        return m;
    }

    private Map<String, Object> quality(String model, String version, Request request) {
        long[] r = range(request);
        return stage.ask(st -> {
            long w = st.windowMs();
            long fromStart = Math.floorDiv(r[0], w) * w;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("version", version);
            m.put("from", r[0] / 1000.0);
            m.put("to", r[1] / 1000.0);
            m.put("metrics", clean(st.quality().summary(model, version, fromStart, r[1] + 1)));
            List<Map<String, Object>> windows = new ArrayList<>();
            for (long start : st.quality().windowStarts(model, version)) {
                if (start < fromStart || start > r[1]) {
                    continue;
                }
                Map<String, Object> wm = new LinkedHashMap<>();
                wm.put("start", start / 1000.0);
                wm.put("end", (start + w) / 1000.0);
                wm.put("metrics", clean(st.quality().summary(model, version, start, start + w)));
                windows.add(wm);
            }
            m.put("windows", windows);
            Map<String, Object> join = new LinkedHashMap<>();
            join.put("pending", st.join().pending());
            join.put("joined", st.join().joined());
            join.put("expired", st.join().expired());
            join.put("evictedForCapacity", st.join().evictedForCapacity());
            join.put("unmatchedLabels", st.join().unmatchedLabels());
            join.put("lateLabels", st.join().lateLabels());
            join.put("labelsWithoutModel", st.labelsWithoutModel());
            m.put("join", join);
            return m;
        });
    }

    private Map<String, Object> drift(String model, String version, Request request) {
        String reference = request.param("reference");
        String resolved = reference;
        if (reference != null && reference.startsWith("version:")) {
            String v = reference.substring("version:".length());
            if (v.isEmpty()) {
                throw new BadParameterException("reference", "version: needs a version or alias after the colon");
            }
            resolved = "version:" + service.call(reg -> reg.resolve(model, v)).orElse(v);
        }
        String ref = resolved;
        return stage.ask(st -> st.drift(model, version, ref));
    }

    // ---- gate ----------------------------------------------------------------------------------

    private Map<String, Object> gate(String model, Request request) {
        JsonNode body = tree(request);
        if (!body.isObject()) {
            throw new BadParameterException("body", "expected a JSON object: the gate rules plus candidate and baseline");
        }
        ObjectNode rulesNode = ((ObjectNode) body).deepCopy();
        String candidate = text(rulesNode.remove("candidate"), "body.candidate");
        String baseline = text(rulesNode.remove("baseline"), "body.baseline");
        long now = clock.getAsLong();
        JsonNode fromNode = rulesNode.remove("from");
        JsonNode toNode = rulesNode.remove("to");
        long from = fromNode == null ? now - 3_600_000L : time(fromNode, "body.from", now);
        long to = toNode == null ? now : time(toNode, "body.to", now);
        GateRules rules;
        try {
            rules = STRICT.treeToValue(rulesNode, GateRules.class);
        } catch (JsonProcessingException e) {
            throw new BadParameterException(fieldOf(e, "body"), e.getOriginalMessage());
        }
        for (int i = 0; i < rules.metrics().size(); i++) {
            GateRules.MetricRule m = rules.metrics().get(i);
            if (m.name() == null || m.name().isBlank()) {
                throw new BadParameterException("body.metrics[" + i + "].name", "missing");
            }
            if (m.direction() == null) {
                throw new BadParameterException("body.metrics[" + i + "].direction",
                    "missing (higher_is_better or lower_is_better)");
            }
        }
        String baselineVersion = service.call(r -> r.resolve(model, baseline)).orElse(null);
        GateResult result = stage.ask(st -> {
            LiveEvidenceSource live = new LiveEvidenceSource(null, st.quality(), st.monitor(), from, to);
            GateEvidenceSource source = new GateEvidenceSource() {
                @Override
                public Optional<GateEvidence> evidence(String m, String v) {
                    return live.evidence(m, v);
                }

                @Override
                public Optional<String> resolve(String m, String versionOrAlias) {
                    return versionOrAlias.equals(baseline) ? Optional.ofNullable(baselineVersion)
                        : Optional.of(versionOrAlias);
                }
            };
            return GateEvaluator.evaluate(source, model, candidate, baseline, rules);
        });
        return gateJson(result, from, to);
    }

    static Map<String, Object> gateJson(GateResult r, long from, long to) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("candidate", r.candidate());
        m.put("baseline", r.baseline());
        m.put("baselineVersion", r.baselineVersion());
        m.put("passed", r.passed());
        m.put("from", from / 1000.0);
        m.put("to", to / 1000.0);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (GateCheck c : r.checks()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("subject", c.subject());
            cm.put("kind", c.kind());
            cm.put("candidate", finite(c.candidate()));
            cm.put("baseline", finite(c.baseline()));
            cm.put("observed", finite(c.observed()));
            cm.put("limit", finite(c.limit()));
            cm.put("outcome", c.outcome().name());
            cm.put("message", c.message());
            checks.add(cm);
        }
        m.put("checks", checks);
        m.put("report", r.report());
        return m;
    }

    private static String text(JsonNode n, String field) {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new BadParameterException(field, "missing or not a string");
        }
        return n.asText();
    }

    private static long time(JsonNode n, String field, long now) {
        if (n.isNumber()) {
            return Math.round(n.asDouble() * 1000.0);
        }
        if (n.isTextual()) {
            return TimeParams.time(field, n.asText(), now);
        }
        throw new BadParameterException(field, "not a time (Unix seconds, RFC 3339, now-1h)");
    }

    // ---- audit ---------------------------------------------------------------------------------

    private List<Map<String, Object>> audit(Request request) {
        long now = clock.getAsLong();
        long from = request.param("from") == null ? Long.MIN_VALUE : TimeParams.time("from", request.param("from"), now);
        long to = request.param("to") == null ? Long.MAX_VALUE : TimeParams.time("to", request.param("to"), now);
        int limit = limit(request.param("limit"));
        List<AuditRecord> records = service.call(r -> {
            try {
                return AuditJournal.readAll(service.auditDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = records.size() - 1; i >= 0 && out.size() < limit; i--) {
            AuditRecord rec = records.get(i);
            if (rec.timestampMs() < from || rec.timestampMs() > to) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", rec.seq());
            m.put("time", rec.timestampMs() / 1000.0);
            m.put("kind", rec.type());
            m.put("actor", rec.actor());
            JsonNode detail;
            try {
                detail = ModelService.JSON.readTree(rec.body());
            } catch (JsonProcessingException e) {
                detail = ModelService.JSON.getNodeFactory().textNode(rec.body());
            }
            m.put("subject", subject(detail));
            m.put("detail", detail);
            m.put("hash", rec.hashHex());
            m.put("previousHash", rec.prevHashHex());
            out.add(m);
        }
        return out;
    }

    private static String subject(JsonNode d) {
        if (d.hasNonNull("model")) {
            String model = d.get("model").asText();
            if (d.hasNonNull("alias")) {
                return model + "/" + d.get("alias").asText();
            }
            return d.hasNonNull("version") ? model + "/" + d.get("version").asText() : model;
        }
        return d.hasNonNull("id") ? d.get("id").asText() : "";
    }

    private Map<String, Object> verify() {
        VerifyResult v = service.call(r -> {
            try {
                return AuditJournal.verify(service.auditDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", v.intact());
        m.put("records", v.records());
        if (v.intact()) {
            m.put("firstBad", null);
        } else {
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("seq", v.seq());
            bad.put("position", v.position());
            bad.put("problem", v.problem().name());
            bad.put("message", v.message());
            m.put("firstBad", bad);
        }
        m.put("message", v.message());
        return m;
    }

    private static int limit(String text) {
        if (text == null) {
            return 100;
        }
        try {
            int l = Integer.parseInt(text.trim());
            if (l < 1 || l > 10_000) {
                throw new BadParameterException("limit", "must be between 1 and 10000");
            }
            return l;
        } catch (NumberFormatException e) {
            throw new BadParameterException("limit", "'" + text + "' is not a whole number");
        }
    }

    // ---- JSON helpers ----------------------------------------------------------------------------

    private static JsonNode tree(Request request) {
        if (request.body() == null || request.body().length == 0) {
            throw new BadParameterException("body", "missing (a JSON body is required)");
        }
        try {
            return ModelService.JSON.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw new BadParameterException("body", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadParameterException("body", "unreadable: " + e.getMessage());
        }
    }

    private static <T> T parse(Request request, Class<T> type) {
        JsonNode n = tree(request);
        if (!n.isObject()) {
            throw new BadParameterException("body", "expected a JSON object");
        }
        try {
            return STRICT.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            throw new BadParameterException(fieldOf(e, "body"), e.getOriginalMessage());
        }
    }

    /** The JSON path of a Jackson error: {@code body.metrics[0].nme}. */
    static String fieldOf(JsonProcessingException e, String root) {
        StringBuilder sb = new StringBuilder(root);
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append('.').append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        return sb.toString();
    }

    private static Map<String, Double> clean(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null || !Double.isFinite(v) ? null : v));
        return Collections.unmodifiableMap(out);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
