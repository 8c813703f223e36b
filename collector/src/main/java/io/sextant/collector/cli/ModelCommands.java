package io.sextant.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.collector.audit.AuditVerifyCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model-operations commands of the CLI: {@code gate}, {@code audit verify} and {@code models
 * list|show|register|deploy|promote|rollback}. {@code gate} and {@code models} talk to a running collector's
 * query API; {@code audit verify} reads the audit journal's files directly (it works with the collector
 * stopped, and does not trust it).
 *
 * <p>Exit codes: 0 success (gate passed, journal intact), 1 gate failed or journal tampered with or the
 * collector refused the request, 2 bad usage or the collector unreachable.
 */
final class ModelCommands
{
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String DEFAULT_URL = "http://127.0.0.1:4720";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelCommands()
    {
    }

    // ---- gate ------------------------------------------------------------------------------------

    static int gate(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Map<String, String> o = options(args, "model", "candidate", "baseline", "rules", "url", "json", "from", "to");
        if (o.containsKey("help"))
        {
            out.println(String.join("\n",
                "usage: sextant gate --model M --candidate V --baseline ALIAS_OR_VERSION --rules FILE",
                "                    [--url http://127.0.0.1:4720] [--json OUT.json] [--from -1h] [--to now]",
                "",
                "Compares the candidate version with the baseline (a version or an alias such as production) on",
                "the same traffic window of a running collector: quality metrics (absolute bounds and allowed",
                "regressions with a direction), latency p99 and drift, as the rules file says, e.g.",
                "  {\"metrics\": [{\"name\": \"accuracy\", \"direction\": \"higher_is_better\", \"min\": 0.8,",
                "                \"max_regression_abs\": 0.02}],",
                "   \"latency_p99_ms\": {\"max\": 50}, \"drift\": {\"max_share\": 0.5}}",
                "Prints a report; --json writes the full result. Exit code 0 pass, 1 fail, 2 bad usage or no collector."));
            return OK;
        }
        for (final String required : new String[] {"model", "candidate", "baseline", "rules"})
        {
            if (!o.containsKey(required))
            {
                err.println("gate: missing --" + required + " (see sextant gate --help)");
                return USAGE;
            }
        }
        final ObjectNode body;
        try
        {
            final JsonNode rules = JSON.readTree(Path.of(o.get("rules")).toFile());
            if (rules == null || !rules.isObject())
            {
                err.println("gate: the rules file " + o.get("rules") + " is not a JSON object");
                return USAGE;
            }
            body = (ObjectNode)rules;
        }
        catch (final IOException ex)
        {
            err.println("gate: cannot read the rules file " + o.get("rules") + ": " + ex.getMessage());
            return USAGE;
        }
        body.put("candidate", o.get("candidate"));
        body.put("baseline", o.get("baseline"));
        if (o.containsKey("from"))
        {
            body.put("from", o.get("from"));
        }
        if (o.containsKey("to"))
        {
            body.put("to", o.get("to"));
        }
        final Answer a = send(o, "POST", "/api/v1/models/" + enc(o.get("model")) + "/gate", body, err);
        if (a == null)
        {
            return USAGE;
        }
        if (a.status != 200)
        {
            err.println("gate: the collector refused the gate (" + a.status + "): " + a.error());
            return a.status == 400 || a.status == 404 ? USAGE : FAILED;
        }
        final JsonNode data = a.json.get("data");
        out.print(data.path("report").asText());
        if (o.containsKey("json"))
        {
            try
            {
                final ObjectNode copy = ((ObjectNode)data).deepCopy();
                copy.remove("report");
                Files.writeString(Path.of(o.get("json")), JSON.writeValueAsString(copy) + "\n");
            }
            catch (final IOException ex)
            {
                err.println("gate: cannot write " + o.get("json") + ": " + ex.getMessage());
                return USAGE;
            }
        }
        return data.path("passed").asBoolean(false) ? OK : FAILED;
    }

    // ---- audit -----------------------------------------------------------------------------------

    static int audit(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || args[0].equals("--help"))
        {
            out.println(String.join("\n",
                "usage: sextant audit verify [--data DIR] [--anchor HEX]",
                "",
                "Verifies the audit journal in DIR/audit (default ./data, the collector's data folder) offline:",
                "walks the SHA-256 hash chain and names the first record that was changed, removed, inserted or",
                "reordered. --anchor is a head hash published earlier that must still be in the journal.",
                "Exit code 0 intact, 1 tampered with, 2 bad usage or unreadable."));
            return args.length == 0 ? USAGE : OK;
        }
        if (!args[0].equals("verify"))
        {
            err.println("audit: unknown subcommand '" + args[0] + "'; use: sextant audit verify [--data DIR]");
            return USAGE;
        }
        final Map<String, String> o;
        try
        {
            o = options(java.util.Arrays.copyOfRange(args, 1, args.length), "data", "anchor");
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("audit verify: " + ex.getMessage());
            return USAGE;
        }
        if (o.containsKey("help"))
        {
            return audit(new String[] {"--help"}, out, err);
        }
        final String data = o.getOrDefault("data", System.getenv().getOrDefault("SEXTANT_COLLECTOR_DATA_DIR", "./data"));
        final Path dir = Path.of(data).resolve("audit");
        if (!Files.isDirectory(dir))
        {
            err.println("audit verify: no audit journal in " + dir);
            return USAGE;
        }
        final List<String> a = new ArrayList<>(List.of("--dir", dir.toString()));
        if (o.containsKey("anchor"))
        {
            a.add("--anchor");
            a.add(o.get("anchor"));
        }
        return AuditVerifyCommand.run(a.toArray(new String[0]), out, err);
    }

    // ---- models ----------------------------------------------------------------------------------

    static int models(final String[] args, final PrintStream out, final PrintStream err)
    {
        final String usage = String.join("\n",
            "usage: sextant models list     [--url URL]",
            "       sextant models show     --model M [--url URL]",
            "       sextant models register --model M --version V [--dataset-id ID --dataset-hash SHA256]",
            "                               [--params k=v,...] [--metrics k=0.9,...] [--artifact-digest D]",
            "                               [--profile FILE.json] [--actor NAME] [--url URL]",
            "       sextant models deploy   --model M --version V [--alias production] [--reason TEXT]",
            "       sextant models promote  --model M (--version V | --from candidate) [--alias production] [--reason TEXT]",
            "       sextant models rollback --model M [--alias production] [--version V] [--reason TEXT]",
            "",
            "Reads and changes the model registry of a running collector (default " + DEFAULT_URL + ").",
            "Every change is appended to the collector's audit journal. --profile is a training profile:",
            "  {\"numeric\": {\"feature\": [training values...]}, \"categorical\": {\"feature\": {\"a\": 10}}}",
            "Exit code 0 done, 1 refused by the collector, 2 bad usage or no collector.");
        if (args.length == 0 || args[0].equals("--help"))
        {
            out.println(usage);
            return args.length == 0 ? USAGE : OK;
        }
        final String sub = args[0];
        final String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        final Map<String, String> o;
        try
        {
            o = switch (sub)
            {
                case "list" -> options(rest, "url");
                case "show" -> options(rest, "url", "model");
                case "register" -> options(rest, "url", "model", "version", "dataset-id", "dataset-hash", "params",
                    "metrics", "artifact-digest", "profile", "actor");
                case "deploy", "promote", "rollback" -> options(rest, "url", "model", "version", "alias", "from",
                    "reason", "actor");
                default -> throw new IllegalArgumentException("unknown subcommand '" + sub + "'");
            };
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("models: " + ex.getMessage() + "\n" + usage);
            return USAGE;
        }
        if (o.containsKey("help"))
        {
            out.println(usage);
            return OK;
        }
        if (!sub.equals("list") && !o.containsKey("model"))
        {
            err.println("models " + sub + ": missing --model");
            return USAGE;
        }
        try
        {
            return switch (sub)
            {
                case "list" -> list(o, out, err);
                case "show" -> print(send(o, "GET", "/api/v1/models/" + enc(o.get("model")), null, err), out, err);
                case "register" -> register(o, out, err);
                default -> alias(sub, o, out, err);
            };
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("models " + sub + ": " + ex.getMessage());
            return USAGE;
        }
    }

    private static int list(final Map<String, String> o, final PrintStream out, final PrintStream err)
    {
        final Answer a = send(o, "GET", "/api/v1/models", null, err);
        if (a == null || a.status != 200)
        {
            return print(a, out, err);
        }
        out.printf("%-24s %-30s %s%n", "MODEL", "VERSIONS", "ALIASES");
        for (final JsonNode m : a.json.path("data"))
        {
            final List<String> versions = new ArrayList<>();
            m.path("versions").forEach(v -> versions.add(v.asText()));
            final List<String> aliases = new ArrayList<>();
            for (final Iterator<Map.Entry<String, JsonNode>> it = m.path("aliases").fields(); it.hasNext(); )
            {
                final Map.Entry<String, JsonNode> e = it.next();
                aliases.add(e.getKey() + "=" + e.getValue().asText());
            }
            out.printf("%-24s %-30s %s%n", m.path("name").asText(), String.join(",", versions), String.join(" ", aliases));
        }
        return OK;
    }

    private static int register(final Map<String, String> o, final PrintStream out, final PrintStream err)
    {
        if (!o.containsKey("version"))
        {
            err.println("models register: missing --version");
            return USAGE;
        }
        final ObjectNode body = JSON.createObjectNode();
        body.put("version", o.get("version"));
        if (o.containsKey("dataset-id"))
        {
            if (!o.containsKey("dataset-hash"))
            {
                err.println("models register: --dataset-id needs --dataset-hash (SHA-256 of the dataset)");
                return USAGE;
            }
            final ObjectNode d = body.putObject("dataset");
            d.put("id", o.get("dataset-id"));
            d.put("contentHash", o.get("dataset-hash"));
        }
        if (o.containsKey("params"))
        {
            final ObjectNode p = body.putObject("parameters");
            pairs(o.get("params"), "--params").forEach(p::put);
        }
        if (o.containsKey("metrics"))
        {
            final ObjectNode p = body.putObject("trainingMetrics");
            for (final Map.Entry<String, String> e : pairs(o.get("metrics"), "--metrics").entrySet())
            {
                try
                {
                    p.put(e.getKey(), Double.parseDouble(e.getValue()));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("--metrics " + e.getKey() + ": '" + e.getValue() + "' is not a number");
                }
            }
        }
        if (o.containsKey("artifact-digest"))
        {
            body.put("artifactDigest", o.get("artifact-digest"));
        }
        if (o.containsKey("actor"))
        {
            body.put("actor", o.get("actor"));
        }
        if (o.containsKey("profile"))
        {
            try
            {
                body.set("trainingProfile", JSON.readTree(Path.of(o.get("profile")).toFile()));
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read --profile " + o.get("profile") + ": " + ex.getMessage());
            }
        }
        return print(send(o, "POST", "/api/v1/models/" + enc(o.get("model")) + "/versions", body, err), out, err);
    }

    private static int alias(final String op, final Map<String, String> o, final PrintStream out, final PrintStream err)
    {
        final ObjectNode body = JSON.createObjectNode();
        body.put("operation", op);
        for (final String k : new String[] {"version", "from", "reason", "actor"})
        {
            if (o.containsKey(k))
            {
                body.put(k, o.get(k));
            }
        }
        if (op.equals("deploy") && !o.containsKey("version"))
        {
            err.println("models deploy: missing --version");
            return USAGE;
        }
        if (op.equals("promote") && !o.containsKey("version") && !o.containsKey("from"))
        {
            err.println("models promote: give --version V or --from ALIAS");
            return USAGE;
        }
        final String alias = o.getOrDefault("alias", "production");
        return print(send(o, "POST", "/api/v1/models/" + enc(o.get("model")) + "/aliases/" + enc(alias), body, err),
            out, err);
    }

    private static Map<String, String> pairs(final String text, final String option)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        for (final String kv : text.split(","))
        {
            final int eq = kv.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException(option + " expects key=value,..., got '" + kv + "'");
            }
            m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return m;
    }

    // ---- HTTP --------------------------------------------------------------------------------------

    private record Answer(int status, JsonNode json, String body)
    {
        String error()
        {
            return json != null && json.has("error") ? json.get("error").asText() : body;
        }
    }

    private static int print(final Answer a, final PrintStream out, final PrintStream err)
    {
        if (a == null)
        {
            return USAGE;
        }
        if (a.status != 200)
        {
            err.println("error (" + a.status + "): " + a.error());
            return a.status == 400 ? USAGE : FAILED;
        }
        try
        {
            out.println(JSON.writeValueAsString(a.json.get("data")));
        }
        catch (final IOException ex)
        {
            out.println(a.body);
        }
        return OK;
    }

    private static Answer send(final Map<String, String> o, final String method, final String path, final JsonNode body,
        final PrintStream err)
    {
        final String url = o.getOrDefault("url", DEFAULT_URL).replaceAll("/+$", "") + path;
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try
        {
            final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
            if (body == null)
            {
                b.GET();
            }
            else
            {
                b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            final HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try
            {
                json = JSON.readTree(r.body());
            }
            catch (final IOException notJson)
            {
                // reported with the raw body
            }
            return new Answer(r.statusCode(), json, r.body());
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            err.println("error: cannot reach the collector at " + url + ": " + ex);
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String enc(final String s)
    {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code --key value} options; {@code --help} alone. Unknown options are refused. */
    private static Map<String, String> options(final String[] args, final String... allowed)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            if (a.equals("--help") || a.equals("-h"))
            {
                m.put("help", "true");
                continue;
            }
            if (!a.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            final int eq = a.indexOf('=');
            final String key = eq > 0 ? a.substring(2, eq) : a.substring(2);
            if (!List.of(allowed).contains(key))
            {
                throw new IllegalArgumentException("unknown option --" + key + "; options: --" + String.join(", --", allowed));
            }
            if (eq > 0)
            {
                m.put(key, a.substring(eq + 1));
            }
            else if (i + 1 < args.length)
            {
                m.put(key, args[++i]);
            }
            else
            {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        return m;
    }
}
