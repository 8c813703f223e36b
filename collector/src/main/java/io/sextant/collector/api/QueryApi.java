package io.sextant.collector.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.http.HttpHandler;
import io.sextant.collector.http.Request;
import io.sextant.collector.http.Response;
import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The HTTP query API (port 4720). Every {@code /api/v1} answer is the envelope
 * {@code {"status":"success","data":...}} or {@code {"status":"error","errorType":...,"error":...}};
 * bad parameters get 400 with the parameter's name and the reason. Also serves {@code /metrics}
 * (Prometheus text), {@code /healthz} and {@code /readyz}.
 *
 * <p>Runs on HTTP executor threads; reads only published store snapshots.
 */
public final class QueryApi implements HttpHandler
{
    private static final int DEFAULT_LOG_LIMIT = 100;
    private static final int MAX_LOG_LIMIT = 10_000;

    private final SeriesStore store;
    private final Telemetry telemetry;
    private final LongSupplier clock;
    private final ObjectMapper json = new ObjectMapper();
    private final List<ApiModule> modules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile LogTemplateIds templateIds;

    public QueryApi(final SeriesStore store, final Telemetry telemetry, final LongSupplier clockMillis)
    {
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clockMillis;
    }

    /**
     * Adds the endpoints of another part of the collector (analysis, models, incidents, dashboard).
     * Modules are asked in the order added, after the built-in endpoints.
     */
    public QueryApi add(final ApiModule module)
    {
        modules.add(module);
        if (module instanceof LogTemplateIds ids)
        {
            templateIds = ids;
        }
        return this;
    }

    @Override
    public CompletableFuture<Response> handle(final Request request)
    {
        return CompletableFuture.completedFuture(respond(request));
    }

    /**
     * @return the response to a request; never throws.
     */
    public Response respond(final Request request)
    {
        final String path = request.path();
        try
        {
            for (final ApiModule module : modules)
            {
                final Object answer = module.respond(request);
                if (answer instanceof Response r)
                {
                    return r;
                }
                if (answer != null)
                {
                    return success(answer == ApiModule.NO_DATA ? null : answer);
                }
            }
            if (!request.method().equals("GET") && !request.method().equals("POST") && !request.method().equals("HEAD"))
            {
                return error(405, "bad_method", "method " + request.method() + " not allowed; use GET");
            }
            switch (path)
            {
                case "/healthz":
                    return Response.text(200, "ok\n");
                case "/readyz":
                    return telemetry.ready() ? Response.text(200, "ready\n") :
                        Response.text(503, "replaying the journal\n");
                case "/metrics":
                    return new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                        PrometheusText.render(telemetry.metrics()).getBytes(StandardCharsets.UTF_8), Map.of());
                case "/api/v1/series":
                    return success(series(request));
                case "/api/v1/labels":
                    return success(store.catalog().labelNames());
                case "/api/v1/query_range":
                    return success(queryRange(request));
                case "/api/v1/logs":
                    return success(logs(request));
                case "/api/v1/agents":
                    return success(telemetry.agents());
                case "/api/v1/services":
                    return success(services());
                case "/api/v1/status":
                    return success(telemetry.status());
                case "/api/v1/dependencies":
                    return success(dependencies());
                default:
                    if (path.startsWith("/api/v1/label/") && path.endsWith("/values"))
                    {
                        final String label = path.substring("/api/v1/label/".length(), path.length() - "/values".length());
                        return success(store.catalog().labelValues(label));
                    }
                    return error(404, "not_found", "no endpoint " + path + "; see /api/v1/series, /api/v1/labels, " +
                        "/api/v1/label/<name>/values, /api/v1/query_range, /api/v1/logs, /api/v1/agents, " +
                        "/api/v1/services, /api/v1/dependencies, /api/v1/status, /metrics, /healthz, /readyz");
            }
        }
        catch (final BadParameterException ex)
        {
            return error(400, "bad_data", ex.getMessage());
        }
        catch (final ApiException ex)
        {
            return error(ex.status(), ex.type(), ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            return error(500, "internal", ex.toString());
        }
    }

    private List<Map<String, Object>> series(final Request request)
    {
        final String match = request.param("match[]") != null ? request.param("match[]") : request.param("match");
        final List<Series> selected = store.catalog().select(Selector.parse("match", match));
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Series s : selected)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
            m.put("unit", s.unit());
            m.put("labels", s.labels());
            m.put("lastTime", s.lastTimeMillis() / 1000.0);
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> queryRange(final Request request)
    {
        final RangeQuery.Params params = RangeQuery.parse(request, clock.getAsLong());
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("resultType", "matrix");
        data.put("result", RangeQuery.evaluate(store.catalog(), params));
        return data;
    }

    private List<Object> logs(final Request request)
    {
        final long now = clock.getAsLong();
        final long end = request.param("end") == null ? Long.MAX_VALUE :
            TimeParams.time("end", request.param("end"), now);
        final long start = Math.max(now - store.retentionMillis(), request.param("start") == null ? Long.MIN_VALUE :
            TimeParams.time("start", request.param("start"), now));
        final int limit = limit(request.param("limit"));
        final String service = request.param("service");
        final String logger = request.param("logger");
        final String template = request.param("template");
        final String text = request.param("text");
        final String levelText = request.param("level");
        final int minLevel;
        if (levelText == null)
        {
            minLevel = 0;
        }
        else
        {
            minLevel = LogEntry.rank(levelText.trim().toUpperCase(Locale.ROOT));
            if (minLevel < 0)
            {
                throw new BadParameterException("level", "'" + levelText + "' is not one of " + LogEntry.LEVELS +
                    " (the minimum level returned)");
            }
        }
        final String needle = text == null ? null : text.toLowerCase(Locale.ROOT);
        final long startNanos = start == Long.MIN_VALUE ? Long.MIN_VALUE : start * 1_000_000L;
        final long endNanos = end == Long.MAX_VALUE ? Long.MAX_VALUE : end * 1_000_000L + 999_999L;
        // template: the pattern text as the agent sent it, or a template id (of a template since folded
        // into another too); each entry carries its templateId when the analysis has assigned one
        final LogTemplateIds ids = templateIds;
        final String wantedId = template == null || ids == null ? null : ids.resolve(template);
        final Predicate<LogEntry> filter = e ->
            e.timeNanos() >= startNanos && e.timeNanos() <= endNanos &&
            (service == null || service.equals(e.service())) &&
            (logger == null || e.logger().startsWith(logger)) &&
            (template == null || template.equals(e.template()) ||
                (ids != null && wantedId != null && wantedId.equals(ids.templateId(e)))) &&
            LogEntry.rank(e.level()) >= minLevel &&
            (needle == null || e.message().toLowerCase(Locale.ROOT).contains(needle) ||
                e.exceptionClass().toLowerCase(Locale.ROOT).contains(needle));
        final List<Object> out = new ArrayList<>();
        for (final LogEntry e : store.logs().search(filter, limit))
        {
            final com.fasterxml.jackson.databind.node.ObjectNode node = json.valueToTree(e);
            node.put("templateId", ids == null ? null : ids.templateId(e));
            out.add(node);
        }
        return out;
    }

    private static int limit(final String text)
    {
        if (text == null)
        {
            return DEFAULT_LOG_LIMIT;
        }
        try
        {
            final int limit = Integer.parseInt(text.trim());
            if (limit <= 0 || limit > MAX_LOG_LIMIT)
            {
                throw new BadParameterException("limit", "must be between 1 and " + MAX_LOG_LIMIT);
            }
            return limit;
        }
        catch (final NumberFormatException ex)
        {
            throw new BadParameterException("limit", "'" + text + "' is not a whole number");
        }
    }

    private List<Map<String, Object>> services()
    {
        final Map<String, Map<String, Object>> byService = new TreeMap<>();
        final Catalog catalog = store.catalog();
        for (final String service : catalog.labelValues("service"))
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", service);
            m.put("series", catalog.select(List.of(io.sextant.collector.store.Matcher.of("service",
                io.sextant.collector.store.Matcher.Op.EQ, service))).size());
            m.put("agents", new TreeSet<String>());
            m.put("connected", false);
            m.put("lastSeen", 0.0);
            byService.put(service, m);
        }
        for (final Map<String, Object> agent : telemetry.agents())
        {
            final String service = String.valueOf(agent.get("service"));
            final Map<String, Object> m = byService.computeIfAbsent(service, k ->
            {
                final Map<String, Object> created = new LinkedHashMap<>();
                created.put("service", k);
                created.put("series", 0);
                created.put("agents", new TreeSet<String>());
                created.put("connected", false);
                created.put("lastSeen", 0.0);
                return created;
            });
            @SuppressWarnings("unchecked")
            final TreeSet<String> agents = (TreeSet<String>)m.get("agents");
            agents.add(String.valueOf(agent.get("agentId")));
            if (Boolean.TRUE.equals(agent.get("connected")))
            {
                m.put("connected", true);
            }
            final double seen = ((Number)agent.get("lastSeen")).doubleValue();
            if (seen > ((Number)m.get("lastSeen")).doubleValue())
            {
                m.put("lastSeen", seen);
            }
        }
        for (final Map<String, Object> m : byService.values())
        {
            m.put("health", Boolean.TRUE.equals(m.get("connected")) ? "up" :
                ((TreeSet<?>)m.get("agents")).isEmpty() ? "unknown" : "down");
        }
        return new ArrayList<>(byService.values());
    }

    /**
     * @return caller to callee edges of the service graph (from spans), with total calls.
     */
    private List<Map<String, Object>> dependencies()
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Series s : store.catalog().select(List.of(io.sextant.collector.store.Matcher.of(
            Catalog.NAME_LABEL, io.sextant.collector.store.Matcher.Op.EQ, "sextant.dependency.calls"))))
        {
            final double[] last = {0};
            ((io.sextant.collector.store.MetricSeries)s).read(Long.MIN_VALUE, Long.MAX_VALUE, (t, v) -> last[0] = v);
            final Map<String, Object> edge = new LinkedHashMap<>();
            edge.put("caller", s.labels().get("caller"));
            edge.put("callee", s.labels().get("callee"));
            edge.put("calls", last[0]);
            edge.put("lastSeen", s.lastTimeMillis() / 1000.0);
            out.add(edge);
        }
        return out;
    }

    private Response success(final Object data)
    {
        final Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", "success");
        envelope.put("data", data);
        return Response.json(200, write(envelope));
    }

    private Response error(final int status, final String type, final String message)
    {
        final Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", "error");
        envelope.put("errorType", type);
        envelope.put("error", message);
        return Response.json(status, write(envelope));
    }

    private byte[] write(final Object value)
    {
        try
        {
            return json.writeValueAsBytes(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
