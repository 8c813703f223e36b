package io.sextant.collector.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.api.ApiException;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.http.Request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/actions?state&incident&limit}, {@code GET /api/v1/actions/ID},
 * {@code POST /api/v1/actions/ID/approve} and {@code .../reject} with body
 * {@code {"actor": "...", "reason": "..."}} (409 when the action is not pending). HTTP threads.
 */
public final class ActionsApi implements ApiModule
{
    private static final String PREFIX = "/api/v1/actions";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;

    private final RemediationStage stage;
    private final ObjectMapper json = new ObjectMapper();

    ActionsApi(final RemediationStage stage)
    {
        this.stage = stage;
    }

    @Override
    public Object respond(final Request request)
    {
        final String path = request.path();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/"))
        {
            return null;
        }
        if (path.equals(PREFIX) || path.equals(PREFIX + "/"))
        {
            requireMethod(request, "GET");
            return list(request);
        }
        final String rest = path.substring(PREFIX.length() + 1);
        final int slash = rest.indexOf('/');
        if (slash < 0)
        {
            requireMethod(request, "GET");
            final Action a = stage.action(rest);
            if (a == null)
            {
                throw ApiException.notFound("no action " + rest);
            }
            return a.json();
        }
        final String id = rest.substring(0, slash);
        final String verb = rest.substring(slash + 1);
        if (!verb.equals("approve") && !verb.equals("reject"))
        {
            throw ApiException.notFound("no endpoint " + path + "; use " + PREFIX + "/ID/approve or " + PREFIX +
                "/ID/reject");
        }
        requireMethod(request, "POST");
        final Map<String, String> body = body(request);
        final String actor = body.getOrDefault("actor", "api");
        final String reason = body.getOrDefault("reason", "");
        final Action changed;
        try
        {
            changed = verb.equals("approve") ? stage.approve(id, actor, reason) : stage.reject(id, actor, reason);
        }
        catch (final RemediationStage.NotPendingException ex)
        {
            throw new ApiException(409, "conflict", ex.getMessage());
        }
        if (changed == null)
        {
            throw ApiException.notFound("no action " + id);
        }
        return changed.json();
    }

    private static void requireMethod(final Request request, final String method)
    {
        if (!request.method().equals(method) && !(method.equals("GET") && request.method().equals("HEAD")))
        {
            throw new ApiException(405, "bad_method", "method " + request.method() + " not allowed on " +
                request.path() + "; use " + method);
        }
    }

    private Map<String, String> body(final Request request)
    {
        if (request.body() == null || request.body().length == 0)
        {
            return Map.of();
        }
        final JsonNode node;
        try
        {
            node = json.readTree(request.body());
        }
        catch (final IOException ex)
        {
            throw new BadParameterException("body", "not valid JSON: " + ex.getMessage());
        }
        if (node == null || node.isNull() || node.isMissingNode())
        {
            return Map.of();
        }
        if (!node.isObject())
        {
            throw new BadParameterException("body", "expected {\"actor\": \"...\", \"reason\": \"...\"}");
        }
        final java.util.HashMap<String, String> out = new java.util.HashMap<>();
        final java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("actor") && !e.getKey().equals("reason"))
            {
                throw new BadParameterException("body", "unknown key '" + e.getKey() + "'; expected actor and reason");
            }
            if (!e.getValue().isTextual())
            {
                throw new BadParameterException("body", "key '" + e.getKey() + "' must be a text");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        if (out.containsKey("actor") && out.get("actor").isBlank())
        {
            throw new BadParameterException("body", "key 'actor' must not be empty");
        }
        return out;
    }

    private List<Map<String, Object>> list(final Request request)
    {
        final Set<ActionState> states = states(request.param("state"));
        final String incident = request.param("incident");
        final int limit = limit(request.param("limit"));
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Action a : stage.actions(a -> (states == null || states.contains(a.state())) &&
            (incident == null || incident.equals(a.subjectId())), limit))
        {
            out.add(a.json());
        }
        return out;
    }

    private static Set<ActionState> states(final String text)
    {
        if (text == null || text.isBlank())
        {
            return null;
        }
        final Set<ActionState> out = EnumSet.noneOf(ActionState.class);
        for (final String s : text.split(","))
        {
            try
            {
                out.add(ActionState.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new BadParameterException("state", "unknown state '" + s.trim() + "'; expected some of " +
                    List.of(ActionState.values()));
            }
        }
        return out;
    }

    private static int limit(final String text)
    {
        if (text == null)
        {
            return DEFAULT_LIMIT;
        }
        try
        {
            final int limit = Integer.parseInt(text.trim());
            if (limit < 1 || limit > MAX_LIMIT)
            {
                throw new BadParameterException("limit", "must be between 1 and " + MAX_LIMIT);
            }
            return limit;
        }
        catch (final NumberFormatException ex)
        {
            throw new BadParameterException("limit", "'" + text + "' is not a whole number");
        }
    }
}
