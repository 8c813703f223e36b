package io.sextant.collector.cli;

import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.config.ConfigException;
import io.sextant.collector.config.Settings;
import io.sextant.collector.journal.Journal;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code sextant-collector.jar}: {@code serve}, {@code query}, {@code status}, and the
 * model-operations commands {@code gate}, {@code models}, {@code audit} ({@link ModelCommands}).
 */
public final class Main
{
    private static final String USAGE = String.join("\n",
        "usage: java -jar sextant-collector.jar <command> [options]",
        "",
        "commands:",
        "  serve    run the collector (ingest 4710, OTLP 4318, query API 4720)",
        "  query    run a range query or a log search against a running collector",
        "  status   print a running collector's status (journal lag, ring fill, counts)",
        "  gate     compare a candidate model version with a baseline; exit 0 pass, 1 fail",
        "  models   list, show, register, deploy, promote and roll back model versions",
        "  audit    verify the audit journal offline (audit verify --data DIR)",
        "  actions  list remediation actions; approve or reject one",
        "  incidents  list a running collector's incidents, or 'incidents show ID' for one with its causes",
        "",
        "Run '<command> --help' for a command's options.");

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        Journal.disableAnalytics();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))
        {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try
        {
            switch (args[0])
            {
                case "serve":
                    return serve(rest, out, err);
                case "query":
                    return query(rest, out, err);
                case "status":
                    return status(rest, out, err);
                case "gate":
                    return ModelCommands.gate(rest, out, err);
                case "models":
                    return ModelCommands.models(rest, out, err);
                case "audit":
                    return ModelCommands.audit(rest, out, err);
                case "actions":
                    return io.sextant.collector.remediation.ActionsCommand.run(rest, out, err);
                case "incidents":
                    return IncidentsCommand.run(rest, out, err);
                default:
                    err.println("unknown command '" + args[0] + "'\n\n" + USAGE);
                    return 2;
            }
        }
        catch (final ConfigException | IllegalArgumentException ex)
        {
            err.println("error: " + ex.getMessage());
            return 2;
        }
    }

    private static Map<String, String> options(final String[] args, final String... allowed)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            if (!a.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            final int eq = a.indexOf('=');
            final String key;
            final String value;
            if (eq > 0)
            {
                key = a.substring(2, eq);
                value = a.substring(eq + 1);
            }
            else if (a.equals("--help"))
            {
                key = "help";
                value = "true";
            }
            else if (i + 1 < args.length)
            {
                key = a.substring(2);
                value = args[++i];
            }
            else
            {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            if (!key.equals("help") && !Arrays.asList(allowed).contains(key) && !key.equals("set"))
            {
                throw new IllegalArgumentException("unknown option --" + key + "; options: " + Arrays.toString(allowed));
            }
            options.merge(key, value, (x, y) -> x + "\u0000" + y);
        }
        return options;
    }

    private static int serve(final String[] args, final PrintStream out, final PrintStream err) throws ConfigException
    {
        final Map<String, String> options = options(args, "data-dir", "ingest-port", "otlp-port", "http-port", "tokens");
        if (options.containsKey("help"))
        {
            out.println(String.join("\n",
                "usage: java -jar sextant-collector.jar serve [--data-dir DIR] [--ingest-port N] [--otlp-port N]",
                "                                             [--http-port N] [--tokens A,B] [--set key=value]...",
                "",
                "Runs the collector until interrupted (Ctrl-C / SIGTERM). Every setting can also be given as a",
                "system property sextant.collector.<key> or an environment variable SEXTANT_COLLECTOR_<KEY>;",
                "command-line options win. Settings:",
                "",
                Settings.markdownTable()));
            return 0;
        }
        final Map<String, String> overrides = new HashMap<>();
        for (final Map.Entry<String, String> e : options.entrySet())
        {
            if (e.getKey().equals("set"))
            {
                for (final String kv : e.getValue().split("\u0000"))
                {
                    final int eq = kv.indexOf('=');
                    if (eq <= 0)
                    {
                        throw new IllegalArgumentException("--set expects key=value, got '" + kv + "'");
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            else
            {
                overrides.put(e.getKey(), e.getValue());
            }
        }
        final CollectorConfig config = CollectorConfig.load(overrides, System.getProperties(), System.getenv());
        final CountDownLatch stopped = new CountDownLatch(1);
        final Collector collector = new Collector(config, message -> err.println(Instant.now() + " " + message));
        try
        {
            collector.start();
        }
        catch (final ConfigException ex)
        {
            collector.close();
            throw ex;
        }
        catch (final Exception ex)
        {
            err.println("error: could not start the collector: " + ex);
            collector.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            collector.close();
            stopped.countDown();
        }, "sextant-shutdown"));
        out.println("sextant collector started: ingest " + collector.ingestPort() + ", OTLP " + collector.otlpPort() +
            ", API http://127.0.0.1:" + collector.httpPort() + "/api/v1/status");
        out.flush();
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int query(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Map<String, String> options = options(args, "url", "query", "start", "end", "step", "agg", "q", "by",
            "logs", "service", "level", "logger", "text", "limit");
        if (options.containsKey("help"))
        {
            out.println(String.join("\n",
                "usage: java -jar sextant-collector.jar query [--url http://127.0.0.1:4720] --query SELECTOR",
                "           [--start -1h] [--end now] [--step 15s] [--agg avg|min|max|sum|count|rate|last|p99] [--by a,b]",
                "       java -jar sextant-collector.jar query --logs true [--service S] [--level WARN] [--logger L]",
                "           [--text T] [--limit N] [--start -1h]",
                "",
                "Prints the API's JSON answer. Times: RFC 3339, Unix seconds, now, or -<duration> (-15m)."));
            return 0;
        }
        final String base = options.getOrDefault("url", "http://127.0.0.1:4720");
        final boolean logs = options.containsKey("logs");
        final StringBuilder uri = new StringBuilder(base).append(logs ? "/api/v1/logs?" : "/api/v1/query_range?");
        if (!logs && !options.containsKey("query"))
        {
            throw new IllegalArgumentException("--query is required (or --logs true for a log search)");
        }
        if (!logs && !options.containsKey("start"))
        {
            options.put("start", "-1h");
        }
        for (final Map.Entry<String, String> e : options.entrySet())
        {
            if (!e.getKey().equals("url") && !e.getKey().equals("logs"))
            {
                uri.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .append('&');
            }
        }
        return get(uri.toString(), out, err);
    }

    private static int status(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Map<String, String> options = options(args, "url");
        if (options.containsKey("help"))
        {
            out.println(String.join("\n",
                "usage: java -jar sextant-collector.jar status [--url http://127.0.0.1:4720]",
                "",
                "Prints the collector's status: readiness, journal write/store indexes and lag, ring fill,",
                "ingest, store and OTLP counts. Exit code 0 when the collector answers and is ready."));
            return 0;
        }
        return get(options.getOrDefault("url", "http://127.0.0.1:4720") + "/api/v1/status", out, err);
    }

    private static int get(final String uri, final PrintStream out, final PrintStream err)
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try
        {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            out.println(response.body());
            return response.statusCode() == 200 ? 0 : 1;
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
    }
}
