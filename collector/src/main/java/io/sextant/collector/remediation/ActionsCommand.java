package io.sextant.collector.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's {@code actions} command: list remediation actions, approve or reject one, through a
 * running collector's API.
 */
public final class ActionsCommand
{
    private static final String DEFAULT_URL = "http://127.0.0.1:4720";
    private static final String LIST_USAGE = String.join("\n",
        "usage: sextant actions [--state STATE[,STATE]] [--incident ID] [--limit N] [--json] [--url " + DEFAULT_URL + "]",
        "       sextant actions approve ID [--actor NAME] [--reason TEXT] [--url URL]",
        "       sextant actions reject ID [--actor NAME] [--reason TEXT] [--url URL]",
        "",
        "Lists remediation actions, newest first (states: DRY_RUN PENDING_APPROVAL APPROVED REJECTED RUNNING",
        "SUCCEEDED FAILED RATE_LIMITED COOLDOWN), or approves / rejects an action waiting for approval.",
        "--json prints the API's answer as it is. Run 'actions approve --help' for the decision options.");
    private static final String DECIDE_USAGE = String.join("\n",
        "usage: sextant actions %s ID [--actor NAME] [--reason TEXT] [--url " + DEFAULT_URL + "]",
        "",
        "%s a remediation action that is PENDING_APPROVAL (see 'sextant actions --state PENDING_APPROVAL').",
        "The decision, its actor (default: your user name) and reason go into the audit journal.",
        "Exit code 0 when done, 1 when the action is unknown or not pending (the reason is printed).");

    private ActionsCommand()
    {
    }

    /**
     * @param args arguments after {@code actions}.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length > 0 && (args[0].equals("approve") || args[0].equals("reject")))
        {
            return decide(args, out, err);
        }
        final Map<String, String> o = options(args, 0, List.of("state", "incident", "limit", "url"), List.of("json"));
        if (o.containsKey("help"))
        {
            out.println(LIST_USAGE);
            return 0;
        }
        final StringBuilder uri = new StringBuilder(o.getOrDefault("url", DEFAULT_URL)).append("/api/v1/actions?");
        for (final String k : List.of("state", "incident", "limit"))
        {
            if (o.containsKey(k))
            {
                uri.append(k).append('=').append(URLEncoder.encode(o.get(k), StandardCharsets.UTF_8)).append('&');
            }
        }
        final Answer a = send(HttpRequest.newBuilder(URI.create(uri.toString())).GET(), err);
        if (a == null)
        {
            return 1;
        }
        if (o.containsKey("json") || a.status != 200 || a.json == null)
        {
            (a.status == 200 ? out : err).println(a.body);
            return a.status == 200 ? 0 : 1;
        }
        table(a.json.path("data"), out);
        return 0;
    }

    private static int decide(final String[] args, final PrintStream out, final PrintStream err)
    {
        final String verb = args[0];
        final String usage = String.format(DECIDE_USAGE, verb, verb.equals("approve") ? "Approves" : "Rejects");
        if (args.length < 2 || args[1].startsWith("--"))
        {
            if (args.length >= 2 && args[1].equals("--help"))
            {
                out.println(usage);
                return 0;
            }
            err.println("error: " + verb + " needs an action id\n\n" + usage);
            return 2;
        }
        final Map<String, String> o = options(args, 2, List.of("actor", "reason", "url"), List.of());
        if (o.containsKey("help"))
        {
            out.println(usage);
            return 0;
        }
        final Map<String, String> body = new LinkedHashMap<>();
        body.put("actor", o.getOrDefault("actor", System.getProperty("user.name", "cli")));
        body.put("reason", o.getOrDefault("reason", ""));
        final String json;
        try
        {
            json = new ObjectMapper().writeValueAsString(body);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        final String uri = o.getOrDefault("url", DEFAULT_URL) + "/api/v1/actions/" +
            URLEncoder.encode(args[1], StandardCharsets.UTF_8).replace("+", "%20") + "/" + verb;
        final Answer a = send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)), err);
        if (a == null)
        {
            return 1;
        }
        if (a.status != 200 || a.json == null)
        {
            err.println("error: " + (a.json != null && a.json.has("error") ? a.json.get("error").asText() : a.body));
            return 1;
        }
        final JsonNode d = a.json.path("data");
        out.println("action " + d.path("id").asText() + " is " + d.path("state").asText() + " (" +
            d.path("actor").asText() + (d.path("reason").asText().isEmpty() ? "" : ": " + d.path("reason").asText()) +
            ")");
        return 0;
    }

    private static void table(final JsonNode actions, final PrintStream out)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "RULE", "KIND", "SUBJECT", "UPDATED", "REASON"});
        for (final JsonNode a : actions)
        {
            rows.add(new String[] {a.path("id").asText(), a.path("state").asText(), a.path("rule").asText(),
                a.path("kind").asText(), a.path("incident").asText(),
                Instant.ofEpochMilli((long)(a.path("updated").asDouble() * 1000)).toString(),
                a.path("reason").asText()});
        }
        final int[] widths = new int[rows.get(0).length];
        for (final String[] r : rows)
        {
            for (int i = 0; i < r.length; i++)
            {
                widths[i] = Math.max(widths[i], Math.min(r[i].length(), 48));
            }
        }
        for (final String[] r : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++)
            {
                final String cell = r[i].length() > 48 ? r[i].substring(0, 45) + "..." : r[i];
                line.append(i == r.length - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
        if (actions.size() == 0)
        {
            out.println("(no actions)");
        }
    }

    private record Answer(int status, JsonNode json, String body)
    {
    }

    private static Answer send(final HttpRequest.Builder request, final PrintStream err)
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final HttpRequest r = request.timeout(Duration.ofSeconds(30)).build();
        try
        {
            final HttpResponse<String> response = client.send(r, HttpResponse.BodyHandlers.ofString());
            JsonNode node = null;
            try
            {
                node = new ObjectMapper().readTree(response.body());
            }
            catch (final IOException notJson)
            {
                // printed as text
            }
            return new Answer(response.statusCode(), node, response.body());
        }
        catch (final IOException ex)
        {
            err.println("error: cannot reach the collector at " + r.uri() + ": " + ex);
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Map<String, String> options(final String[] args, final int from, final List<String> valued,
        final List<String> flags)
    {
        final Map<String, String> o = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++)
        {
            final String a = args[i];
            if (a.equals("--help") || a.equals("-h"))
            {
                o.put("help", "true");
                continue;
            }
            if (!a.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            final int eq = a.indexOf('=');
            final String key = eq > 0 ? a.substring(2, eq) : a.substring(2);
            if (flags.contains(key))
            {
                o.put(key, "true");
            }
            else if (valued.contains(key))
            {
                if (eq > 0)
                {
                    o.put(key, a.substring(eq + 1));
                }
                else if (i + 1 < args.length)
                {
                    o.put(key, args[++i]);
                }
                else
                {
                    throw new IllegalArgumentException("option --" + key + " needs a value");
                }
            }
            else
            {
                final List<String> all = new ArrayList<>(valued);
                all.addAll(flags);
                throw new IllegalArgumentException("unknown option --" + key + "; options: " + all);
            }
        }
        return o;
    }
}
