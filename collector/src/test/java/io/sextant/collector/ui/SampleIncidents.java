package io.sextant.collector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.api.ApiException;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.http.Request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only endpoints for incidents and remediation actions in the shapes collector/API.md fixes, so
 * the dashboard's click-through and approval are exercised before the correlation and remediation
 * branches are merged. Approve and reject change the action's state (409 when it is not pending),
 * exactly as the contract says; the incident's signals name series the test really sent.
 */
final class SampleIncidents implements ApiModule
{
    static final String INCIDENT = "inc-checkout-1";
    static final String PENDING = "act-restart-1";
    static final String DRY_RUN = "act-webhook-1";

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, Object>> actions = new ConcurrentHashMap<>();
    private final Map<String, Object> incident;
    private final List<Map<String, Object>> causes;

    SampleIncidents(final double start, final String heapSeries, final String latencySeries)
    {
        final Map<String, Object> heap = signal(heapSeries, "checkout", start, 0.97, "CRITICAL",
            "jvm.memory.used at 960 MB, expected 300–420 MB");
        final Map<String, Object> latency = signal(latencySeries, "checkout", start + 40, 0.81, "WARNING",
            "http.server.latency at 1.9 s, expected 0.1–0.3 s");
        incident = new LinkedHashMap<>();
        incident.put("id", INCIDENT);
        incident.put("title", "checkout: heap growth and slow requests");
        incident.put("state", "open");
        incident.put("severity", "CRITICAL");
        incident.put("start", start);
        incident.put("end", null);
        incident.put("services", List.of("checkout"));
        incident.put("memberCount", 2);
        incident.put("predicted", false);
        incident.put("members", List.of(
            Map.of("signal", heap, "reason", "first symptom"),
            Map.of("signal", latency, "reason", "same service within 60 s of the first symptom")));
        incident.put("timeline", List.of(
            Map.of("time", start, "kind", "signal", "summary", "heap anomaly opened"),
            Map.of("time", start + 40, "kind", "signal", "summary", "latency anomaly joined")));
        causes = List.of(
            cause(1, "jvm-resource", heapSeries, 0.92, List.of("onset 40 s before the first symptom",
                "heap rose 2.3× against its baseline")),
            cause(2, "metric", latencySeries, 0.41, List.of("follows the heap anomaly by 40 s")));
        incident.put("topCause", causes.get(0));
        actions.put(PENDING, action(PENDING, "restart-on-heap", "agent-command", "PENDING_APPROVAL", start + 60));
        actions.put(DRY_RUN, action(DRY_RUN, "notify-oncall", "webhook", "DRY_RUN", start + 61));
    }

    private static Map<String, Object> signal(final String subject, final String service, final double start,
        final double score, final String severity, final String summary)
    {
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", subject + "@" + (long)(start * 1000));
        s.put("kind", "METRIC_ANOMALY");
        s.put("source", "sextant");
        s.put("service", service);
        s.put("subject", subject);
        s.put("labels", Map.of("service", service));
        s.put("start", start);
        s.put("end", null);
        s.put("score", score);
        s.put("severity", severity);
        s.put("open", true);
        s.put("summary", summary);
        return s;
    }

    private static Map<String, Object> cause(final int rank, final String kind, final String subject, final double score,
        final List<String> evidence)
    {
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("rank", rank);
        c.put("kind", kind);
        c.put("subject", subject);
        c.put("service", "checkout");
        c.put("score", score);
        c.put("evidence", evidence);
        return c;
    }

    private static Map<String, Object> action(final String id, final String rule, final String kind, final String state,
        final double created)
    {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("rule", rule);
        a.put("incident", INCIDENT);
        a.put("kind", kind);
        a.put("state", state);
        a.put("created", created);
        a.put("updated", created);
        a.put("detail", Map.of("target", "checkout"));
        a.put("result", null);
        return a;
    }

    /** The state of an action as the API holds it now. */
    String state(final String id)
    {
        return String.valueOf(actions.get(id).get("state"));
    }

    @Override
    public Object respond(final Request request)
    {
        final String path = request.path();
        if (path.equals("/api/v1/incidents"))
        {
            final String state = request.param("state") == null ? "open" : request.param("state");
            final Map<String, Object> summary = new LinkedHashMap<>(incident);
            summary.remove("members");
            summary.remove("timeline");
            return state.equals("open") || state.equals("all") ? List.of(summary) : List.of();
        }
        if (path.equals("/api/v1/incidents/" + INCIDENT))
        {
            return incident;
        }
        if (path.equals("/api/v1/incidents/" + INCIDENT + "/causes"))
        {
            return causes;
        }
        if (path.startsWith("/api/v1/incidents/"))
        {
            throw new ApiException(404, "not_found", "no incident " + path.substring("/api/v1/incidents/".length()));
        }
        if (path.equals("/api/v1/actions"))
        {
            final List<Map<String, Object>> out = new ArrayList<>();
            for (final Map<String, Object> a : actions.values())
            {
                if ((request.param("state") == null || request.param("state").equals(a.get("state"))) &&
                    (request.param("incident") == null || request.param("incident").equals(a.get("incident"))))
                {
                    out.add(new LinkedHashMap<>(a));
                }
            }
            return out;
        }
        if (path.startsWith("/api/v1/actions/") && request.method().equals("POST"))
        {
            final String[] parts = path.substring("/api/v1/actions/".length()).split("/");
            final Map<String, Object> a = parts.length == 2 ? actions.get(parts[0]) : null;
            if (a == null || !(parts[1].equals("approve") || parts[1].equals("reject")))
            {
                throw new ApiException(404, "not_found", "no action endpoint " + path);
            }
            final JsonNode body;
            try
            {
                body = json.readTree(request.body());
            }
            catch (final IOException ex)
            {
                throw new BadParameterException("body", "not JSON: " + ex.getMessage());
            }
            synchronized (a)
            {
                if (!"PENDING_APPROVAL".equals(a.get("state")))
                {
                    throw new ApiException(409, "conflict", "action " + parts[0] + " is " + a.get("state") +
                        ", not PENDING_APPROVAL");
                }
                a.put("state", parts[1].equals("approve") ? "APPROVED" : "REJECTED");
                a.put("updated", System.currentTimeMillis() / 1000.0);
                a.put("result", Map.of("actor", body.path("actor").asText(""), "reason", body.path("reason").asText("")));
                return new LinkedHashMap<>(a);
            }
        }
        return null;
    }
}
