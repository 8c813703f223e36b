package io.sextant.collector.cli;

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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code incidents [--state open|resolved|all] [--service S] [--limit N] [--url URL] [--json]} and
 * {@code incidents show ID [--url URL] [--json]}: lists the correlated incidents of a running collector, or shows
 * one with its members (and why each was grouped), its ranked causes with their evidence, and its timeline.
 */
final class IncidentsCommand
{
    static final String USAGE = String.join("\n",
        "usage: java -jar sextant-collector.jar incidents [--state open|resolved|all] [--service S] [--limit N]",
        "                                                  [--url http://127.0.0.1:4720] [--json]",
        "       java -jar sextant-collector.jar incidents show ID [--url http://127.0.0.1:4720] [--json]",
        "",
        "Lists the incidents the collector correlated from its anomalies, log anomalies, drift and change",
        "events (newest first; --state defaults to all), or shows one incident: its members and why each was",
        "grouped, its candidate causes ranked with their evidence, and its timeline. --json prints the API's",
        "answer as it is.");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
        .withZone(ZoneOffset.UTC);

    private IncidentsCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        String id = null;
        String url = "http://127.0.0.1:4720";
        String state = null;
        String service = null;
        String limit = null;
        boolean json = false;
        int i = 0;
        if (args.length > 0 && args[0].equals("show"))
        {
            if (args.length < 2 || args[1].startsWith("--"))
            {
                throw new IllegalArgumentException("incidents show needs an incident id\n\n" + USAGE);
            }
            id = args[1];
            i = 2;
        }
        for (; i < args.length; i++)
        {
            final String a = args[i];
            switch (a)
            {
                case "--help", "-h" ->
                {
                    out.println(USAGE);
                    return 0;
                }
                case "--json" -> json = true;
                case "--url" -> url = value(args, ++i, a);
                case "--state" -> state = value(args, ++i, a);
                case "--service" -> service = value(args, ++i, a);
                case "--limit" -> limit = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unexpected argument '" + a + "'\n\n" + USAGE);
            }
        }
        if (id != null && (state != null || service != null || limit != null))
        {
            throw new IllegalArgumentException("--state, --service and --limit apply to the list, not to show");
        }
        if (state != null && !state.equals("open") && !state.equals("resolved") && !state.equals("all"))
        {
            throw new IllegalArgumentException("--state must be open, resolved or all, not '" + state + "'");
        }
        final StringBuilder uri = new StringBuilder(url).append("/api/v1/incidents");
        if (id != null)
        {
            uri.append('/').append(enc(id));
        }
        else
        {
            uri.append("?state=").append(state == null ? "all" : state);
            if (service != null)
            {
                uri.append("&service=").append(enc(service));
            }
            if (limit != null)
            {
                uri.append("&limit=").append(enc(limit));
            }
        }
        final String body;
        final int status;
        try
        {
            final HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            body = r.body();
            status = r.statusCode();
        }
        catch (final IOException ex)
        {
            err.println("error: cannot reach the collector at " + uri + ": " + ex);
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (json)
        {
            out.println(body);
            return status == 200 ? 0 : 1;
        }
        final JsonNode answer;
        try
        {
            answer = new ObjectMapper().readTree(body);
        }
        catch (final IOException ex)
        {
            err.println("error: the collector's answer is not JSON (HTTP " + status + "): " + body);
            return 1;
        }
        if (status != 200)
        {
            err.println("error: " + answer.path("error").asText(body));
            return 1;
        }
        if (id == null)
        {
            list(answer.path("data"), out);
        }
        else
        {
            show(answer.path("data"), url, out, err);
        }
        return 0;
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static String enc(final String s)
    {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String time(final JsonNode seconds)
    {
        return TIME.format(Instant.ofEpochMilli(Math.round(seconds.asDouble() * 1000)));
    }

    private static void list(final JsonNode incidents, final PrintStream out)
    {
        if (incidents.isEmpty())
        {
            out.println("no incidents");
            return;
        }
        out.printf(Locale.ROOT, "%-28s %-9s %-9s %-21s %7s  %s%n", "ID", "STATE", "SEVERITY", "START", "MEMBERS",
            "TITLE");
        for (final JsonNode i : incidents)
        {
            out.printf(Locale.ROOT, "%-28s %-9s %-9s %-21s %7d  %s%n", i.path("id").asText(),
                i.path("state").asText(), i.path("severity").asText(), time(i.path("start")),
                i.path("memberCount").asInt(), i.path("title").asText());
        }
    }

    private static void show(final JsonNode i, final String url, final PrintStream out, final PrintStream err)
    {
        out.println(i.path("id").asText() + "  " + i.path("state").asText() + "  " + i.path("severity").asText() +
            (i.path("predicted").asBoolean() ? "  (predicted)" : ""));
        out.println(i.path("title").asText());
        out.println("from " + time(i.path("start")) + " to " + time(i.path("end")) + "; services: " +
            String.join(", ", toList(i.path("services"))));
        out.println();
        out.println("Likely causes:");
        try
        {
            final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/api/v1/incidents/" + enc(i.path("id").asText()) + "/causes"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (final JsonNode c : new ObjectMapper().readTree(r.body()).path("data"))
            {
                out.printf(Locale.ROOT, "  %2d. %-13s %s%s  score %.2f%n", c.path("rank").asInt(),
                    c.path("kind").asText(), c.path("subject").asText(),
                    c.path("service").asText().isEmpty() || c.path("service").asText().equals(c.path("subject").asText())
                        ? "" : " (" + c.path("service").asText() + ")", c.path("score").asDouble());
                for (final JsonNode e : c.path("evidence"))
                {
                    out.println("        - " + e.asText());
                }
            }
        }
        catch (final IOException ex)
        {
            err.println("error: cannot read the causes: " + ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        out.println();
        out.println("Members:");
        for (final JsonNode m : i.path("members"))
        {
            final JsonNode s = m.path("signal");
            out.println("  " + time(s.path("start")) + "  " + s.path("kind").asText() + "  " + s.path("subject").asText() +
                (s.path("open").asBoolean() ? "  (open)" : "") +
                (m.path("occurrences").asInt() > 1 ? "  x" + m.path("occurrences").asInt() : ""));
            out.println("        " + s.path("summary").asText());
            out.println("        why: " + m.path("reason").asText());
        }
        out.println();
        out.println("Timeline:");
        for (final JsonNode e : i.path("timeline"))
        {
            out.println("  " + time(e.path("time")) + "  " + e.path("event").asText() + "  " + e.path("text").asText());
        }
    }

    private static java.util.List<String> toList(final JsonNode array)
    {
        final java.util.List<String> out = new java.util.ArrayList<>();
        for (final JsonNode n : array)
        {
            out.add(n.asText());
        }
        return out;
    }
}
