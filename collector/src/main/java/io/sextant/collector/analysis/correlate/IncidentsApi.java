package io.sextant.collector.analysis.correlate;

import io.sextant.collector.api.ApiException;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.api.SignalJson;
import io.sextant.collector.api.TimeParams;
import io.sextant.collector.http.Request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/incidents}, {@code /api/v1/incidents/ID} and {@code /api/v1/incidents/ID/causes} (see
 * {@code collector/API.md}). Runs on HTTP threads and reads only the {@link IncidentBoard}.
 */
public final class IncidentsApi implements ApiModule {

    private static final String PREFIX = "/api/v1/incidents";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;

    private final IncidentBoard board;
    private final LongSupplier clock;

    /**
     * @param clock the time {@code now} means in time parameters, Unix milliseconds
     */
    public IncidentsApi(IncidentBoard board, LongSupplier clock) {
        this.board = board;
        this.clock = clock;
    }

    @Override
    public Object respond(Request request) {
        String path = request.path();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return null;
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw new ApiException(405, "bad_method", "method " + request.method() + " not allowed on " + path
                    + "; use GET");
        }
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            return list(request);
        }
        String rest = path.substring(PREFIX.length() + 1);
        boolean causes = rest.endsWith("/causes");
        String id = causes ? rest.substring(0, rest.length() - "/causes".length()) : rest;
        if (id.isEmpty() || id.contains("/")) {
            throw ApiException.notFound("no endpoint " + path + "; use " + PREFIX + ", " + PREFIX + "/ID or "
                    + PREFIX + "/ID/causes");
        }
        IncidentSnapshot s = board.get(id);
        if (s == null) {
            throw ApiException.notFound("no incident '" + id + "'");
        }
        return causes ? causes(s) : detail(s);
    }

    private List<Map<String, Object>> list(Request request) {
        String state = request.param("state");
        String wanted = state == null ? "all" : state.trim().toLowerCase(java.util.Locale.ROOT);
        if (!wanted.equals("open") && !wanted.equals("resolved") && !wanted.equals("all")) {
            throw new BadParameterException("state", "'" + state + "' is not one of open, resolved, all");
        }
        String service = request.param("service");
        long now = clock.getAsLong();
        long from = request.param("from") == null ? Long.MIN_VALUE : TimeParams.time("from", request.param("from"), now);
        long to = request.param("to") == null ? Long.MAX_VALUE : TimeParams.time("to", request.param("to"), now);
        int limit = limit(request.param("limit"));
        Predicate<IncidentSnapshot> filter = s -> (wanted.equals("all") || (wanted.equals("open") == s.open()))
                && (service == null || s.services().contains(service))
                && s.endMillis() >= from && s.startMillis() <= to;
        List<Map<String, Object>> out = new ArrayList<>();
        for (IncidentSnapshot s : board.find(filter, limit)) {
            out.add(summary(s));
        }
        return out;
    }

    static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit <= 0 || limit > MAX_LIMIT) {
                throw new BadParameterException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
            return limit;
        } catch (NumberFormatException ex) {
            throw new BadParameterException("limit", "'" + text + "' is not a whole number");
        }
    }

    static Map<String, Object> summary(IncidentSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("title", s.title());
        m.put("state", s.state());
        m.put("severity", s.severity().name());
        m.put("start", s.startMillis() / 1000.0);
        m.put("end", s.endMillis() / 1000.0);
        m.put("services", s.services());
        m.put("memberCount", s.members().size());
        m.put("predicted", s.predicted());
        m.put("topCause", s.causes().isEmpty() ? null : cause(s.causes().get(0)));
        return m;
    }

    private static Map<String, Object> detail(IncidentSnapshot s) {
        Map<String, Object> m = summary(s);
        List<Map<String, Object>> members = new ArrayList<>(s.members().size());
        for (IncidentSnapshot.Member member : s.members()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("signal", SignalJson.of(member.signal()));
            j.put("reason", member.reason());
            j.put("occurrences", member.occurrences());
            members.add(j);
        }
        m.put("members", members);
        List<Map<String, Object>> timeline = new ArrayList<>(s.timeline().size());
        for (IncidentSnapshot.Event e : s.timeline()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("time", e.timeMillis() / 1000.0);
            j.put("event", e.what());
            j.put("signal", e.signalId().isEmpty() ? null : e.signalId());
            j.put("text", e.text());
            timeline.add(j);
        }
        m.put("timeline", timeline);
        return m;
    }

    private static List<Map<String, Object>> causes(IncidentSnapshot s) {
        List<Map<String, Object>> out = new ArrayList<>(s.causes().size());
        for (Cause c : s.causes()) {
            out.add(cause(c));
        }
        return out;
    }

    private static Map<String, Object> cause(Cause c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", c.rank());
        m.put("kind", c.kind());
        m.put("subject", c.subject());
        m.put("service", c.service());
        m.put("score", c.score());
        m.put("evidence", c.evidence());
        return m;
    }
}
