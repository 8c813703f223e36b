package io.sextant.collector.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.config.ConfigException;
import io.sextant.collector.config.Units;
import io.sextant.protocol.CommandKind;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the remediation rules file (JSON; format in {@code collector/README-remediation.md}). Every
 * mistake is a {@link ConfigException} naming the file, the rule and the key, so that the collector
 * refuses to start with a rule it would misread. Unknown keys are mistakes: a misspelt
 * {@code "dryRun"} must not silently turn a rule live.
 */
public final class RuleFile
{
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final List<String> TOP_KEYS = List.of("rules");
    private static final List<String> RULE_KEYS = List.of("name", "match", "action", "dryRun", "approval", "rateLimit",
        "cooldown", "approvalTimeout");
    private static final List<String> MATCH_KEYS = List.of("kind", "signalKinds", "service", "severity", "labels",
        "causeKind", "causeSubject", "key");
    private static final List<String> WEBHOOK_KEYS = List.of("type", "url", "headers", "timeout");
    private static final List<String> AGENT_KEYS = List.of("type", "command", "logger", "level", "service", "timeout");
    private static final List<String> ROLLBACK_KEYS = List.of("type", "model", "alias", "version", "timeout");
    private static final List<String> RATE_KEYS = List.of("count", "period");
    private static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** Defaults, documented in README-remediation.md. */
    static final int DEFAULT_RATE_COUNT = 5;
    static final String DEFAULT_RATE_PERIOD = "1h";
    static final String DEFAULT_COOLDOWN = "15m";
    static final String DEFAULT_APPROVAL_TIMEOUT = "1h";
    static final String DEFAULT_WEBHOOK_TIMEOUT = "10s";
    static final String DEFAULT_AGENT_TIMEOUT = "30s";
    static final String DEFAULT_ROLLBACK_TIMEOUT = "10s";

    private final String file;

    private RuleFile(final String file)
    {
        this.file = file;
    }

    /**
     * @param path the rules file.
     * @return its rules, in file order.
     * @throws ConfigException naming the file, rule and key that are wrong.
     */
    public static List<Rule> read(final Path path)
    {
        final String text;
        try
        {
            text = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("remediation rules file '" + path + "' cannot be read: " + ex);
        }
        return parse(path.toString(), text);
    }

    /**
     * @param name a name for messages (the file's path).
     * @param text the JSON text.
     * @return the rules.
     */
    static List<Rule> parse(final String name, final String text)
    {
        return new RuleFile(name).rules(text);
    }

    private List<Rule> rules(final String text)
    {
        final JsonNode root;
        try
        {
            root = JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw fail("not valid JSON: " + ex.getOriginalMessage() + (ex.getLocation() == null ? "" :
                " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject())
        {
            throw fail("expected a JSON object {\"rules\": [...]}");
        }
        checkKeys(root, TOP_KEYS, "the top level");
        final JsonNode list = root.get("rules");
        if (list == null || !list.isArray())
        {
            throw fail("key 'rules' must be a list of rules");
        }
        final List<Rule> rules = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++)
        {
            final JsonNode node = list.get(i);
            final String where = "rules[" + i + "]";
            if (!node.isObject())
            {
                throw fail(where + ": expected an object");
            }
            final JsonNode nameNode = node.get("name");
            if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank())
            {
                throw fail(where + ": key 'name' is required (a non-empty text)");
            }
            final String ruleName = nameNode.asText().trim();
            final String ctx = "rule '" + ruleName + "'";
            if (!names.add(ruleName))
            {
                throw fail(ctx + ": the name is used by an earlier rule; names must be unique");
            }
            rules.add(rule(ctx, ruleName, node));
        }
        return List.copyOf(rules);
    }

    private Rule rule(final String ctx, final String name, final JsonNode node)
    {
        checkKeys(node, RULE_KEYS, ctx);
        final JsonNode matchNode = node.get("match");
        if (matchNode == null || !matchNode.isObject())
        {
            throw fail(ctx + ": key 'match' is required (an object; {} matches everything)");
        }
        final Match match = match(ctx, matchNode);
        final JsonNode actionNode = node.get("action");
        if (actionNode == null || !actionNode.isObject())
        {
            throw fail(ctx + ": key 'action' is required (an object with a 'type')");
        }
        final ActionSpec action = action(ctx, actionNode);
        final boolean dryRun = bool(ctx, node, "dryRun", true);
        final String approval = text(ctx, node, "approval", "none");
        if (!approval.equals("required") && !approval.equals("none"))
        {
            throw fail(ctx + ": key 'approval': expected \"required\" or \"none\", got \"" + approval + "\"");
        }
        int rateCount = DEFAULT_RATE_COUNT;
        long ratePeriod = duration(ctx, "rateLimit.period", DEFAULT_RATE_PERIOD);
        final JsonNode rate = node.get("rateLimit");
        if (rate != null)
        {
            if (!rate.isObject())
            {
                throw fail(ctx + ": key 'rateLimit': expected {\"count\": N, \"period\": \"1h\"}");
            }
            checkKeys(rate, RATE_KEYS, ctx + " rateLimit");
            final JsonNode count = rate.get("count");
            if (count == null || !count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1)
            {
                throw fail(ctx + ": key 'rateLimit.count': expected a whole number of at least 1");
            }
            rateCount = count.asInt();
            ratePeriod = duration(ctx, "rateLimit.period", text(ctx + " rateLimit", rate, "period",
                DEFAULT_RATE_PERIOD));
            if (ratePeriod <= 0)
            {
                throw fail(ctx + ": key 'rateLimit.period': must be longer than 0");
            }
        }
        final long cooldown = duration(ctx, "cooldown", text(ctx, node, "cooldown", DEFAULT_COOLDOWN));
        final long approvalTimeout = duration(ctx, "approvalTimeout",
            text(ctx, node, "approvalTimeout", DEFAULT_APPROVAL_TIMEOUT));
        if (approvalTimeout <= 0)
        {
            throw fail(ctx + ": key 'approvalTimeout': must be longer than 0");
        }
        return new Rule(name, match, action, dryRun,
            approval.equals("required"), rateCount, ratePeriod, cooldown, approvalTimeout);
    }

    private Match match(final String ctx, final JsonNode m)
    {
        checkKeys(m, MATCH_KEYS, ctx + " match");
        Subject.Kind kind = null;
        final String kindText = text(ctx + " match", m, "kind", "any");
        switch (kindText)
        {
            case "any":
                break;
            case "anomaly":
                kind = Subject.Kind.ANOMALY;
                break;
            case "incident":
                kind = Subject.Kind.INCIDENT;
                break;
            default:
                throw fail(ctx + ": key 'match.kind': expected \"anomaly\", \"incident\" or \"any\", got \"" +
                    kindText + "\"");
        }
        final Set<String> signalKinds = new HashSet<>();
        for (final String k : texts(ctx, m, "signalKinds"))
        {
            try
            {
                final Signal.Kind sk = Signal.Kind.valueOf(k.toUpperCase(Locale.ROOT));
                if (sk == Signal.Kind.CHANGE)
                {
                    throw fail(ctx + ": key 'match.signalKinds': CHANGE signals are context, not anomalies; " +
                        "no rule fires on them");
                }
                signalKinds.add(sk.name());
            }
            catch (final IllegalArgumentException ex)
            {
                throw fail(ctx + ": key 'match.signalKinds': unknown kind \"" + k + "\"; expected some of " +
                    List.of(Signal.Kind.values()).subList(0, Signal.Kind.values().length - 1));
            }
        }
        final String severityText = text(ctx + " match", m, "severity", "INFO");
        final Severity severity;
        try
        {
            severity = Severity.valueOf(severityText.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw fail(ctx + ": key 'match.severity': expected INFO, WARNING or CRITICAL, got \"" + severityText + "\"");
        }
        final Map<String, Pattern> labels = new LinkedHashMap<>();
        final JsonNode labelNode = m.get("labels");
        if (labelNode != null)
        {
            if (!labelNode.isObject())
            {
                throw fail(ctx + ": key 'match.labels': expected an object of label name to value");
            }
            final Iterator<Map.Entry<String, JsonNode>> it = labelNode.fields();
            while (it.hasNext())
            {
                final Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual())
                {
                    throw fail(ctx + ": key 'match.labels." + e.getKey() + "': expected a text value (a glob)");
                }
                labels.put(e.getKey(), Match.glob(e.getValue().asText()));
            }
        }
        final String causeSubject = text(ctx + " match", m, "causeSubject", null);
        final String key = text(ctx + " match", m, "key", null);
        return new Match(kind, Set.copyOf(signalKinds), globs(texts(ctx, m, "service")), severity, Map.copyOf(labels),
            globs(texts(ctx, m, "causeKind")), causeSubject == null ? null : Match.glob(causeSubject),
            key == null ? null : Match.glob(key));
    }

    private ActionSpec action(final String ctx, final JsonNode a)
    {
        final String type = text(ctx + " action", a, "type", null);
        if (type == null)
        {
            throw fail(ctx + ": key 'action.type' is required: webhook, agent-command or model-rollback");
        }
        switch (type)
        {
            case "webhook":
            {
                checkKeys(a, WEBHOOK_KEYS, ctx + " action");
                final String url = text(ctx + " action", a, "url", null);
                if (url == null)
                {
                    throw fail(ctx + ": key 'action.url' is required for a webhook");
                }
                final URI uri;
                try
                {
                    uri = URI.create(url);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw fail(ctx + ": key 'action.url': not a URL: " + ex.getMessage());
                }
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) ||
                    uri.getHost() == null)
                {
                    throw fail(ctx + ": key 'action.url': expected an http:// or https:// URL with a host, got \"" +
                        url + "\"");
                }
                final Map<String, String> headers = new LinkedHashMap<>();
                final JsonNode h = a.get("headers");
                if (h != null)
                {
                    if (!h.isObject())
                    {
                        throw fail(ctx + ": key 'action.headers': expected an object of header name to value");
                    }
                    final Iterator<Map.Entry<String, JsonNode>> it = h.fields();
                    while (it.hasNext())
                    {
                        final Map.Entry<String, JsonNode> e = it.next();
                        if (!e.getValue().isTextual())
                        {
                            throw fail(ctx + ": key 'action.headers." + e.getKey() + "': expected a text value");
                        }
                        headers.put(e.getKey(), e.getValue().asText());
                    }
                }
                return new ActionSpec.Webhook(uri, Map.copyOf(headers), timeout(ctx, a, DEFAULT_WEBHOOK_TIMEOUT));
            }
            case "agent-command":
            {
                checkKeys(a, AGENT_KEYS, ctx + " action");
                final String command = text(ctx + " action", a, "command", null);
                if (command == null)
                {
                    throw fail(ctx + ": key 'action.command' is required: thread-dump, heap-histogram or set-log-level");
                }
                final CommandKind kind;
                final Map<String, String> arguments = new LinkedHashMap<>();
                final String logger = text(ctx + " action", a, "logger", null);
                final String level = text(ctx + " action", a, "level", null);
                switch (command)
                {
                    case "thread-dump":
                        kind = CommandKind.THREAD_DUMP;
                        break;
                    case "heap-histogram":
                        kind = CommandKind.HEAP_HISTOGRAM;
                        break;
                    case "set-log-level":
                        kind = CommandKind.SET_LOG_LEVEL;
                        if (level == null || !LOG_LEVELS.contains(level.toUpperCase(Locale.ROOT)))
                        {
                            throw fail(ctx + ": key 'action.level': set-log-level needs a level, one of " + LOG_LEVELS);
                        }
                        arguments.put("logger", logger == null ? "" : logger);
                        arguments.put("level", level.toUpperCase(Locale.ROOT));
                        break;
                    default:
                        throw fail(ctx + ": key 'action.command': expected thread-dump, heap-histogram or " +
                            "set-log-level, got \"" + command + "\"");
                }
                if (kind != CommandKind.SET_LOG_LEVEL && (logger != null || level != null))
                {
                    throw fail(ctx + ": key 'action." + (logger != null ? "logger" : "level") +
                        "': only set-log-level takes a logger and a level");
                }
                return new ActionSpec.AgentCommand(kind, Map.copyOf(arguments), text(ctx + " action", a, "service", ""),
                    timeout(ctx, a, DEFAULT_AGENT_TIMEOUT));
            }
            case "model-rollback":
            {
                checkKeys(a, ROLLBACK_KEYS, ctx + " action");
                return new ActionSpec.ModelRollback(text(ctx + " action", a, "model", ""),
                    text(ctx + " action", a, "alias", "production"), text(ctx + " action", a, "version", ""),
                    timeout(ctx, a, DEFAULT_ROLLBACK_TIMEOUT));
            }
            default:
                throw fail(ctx + ": key 'action.type': expected webhook, agent-command or model-rollback, got \"" +
                    type + "\"");
        }
    }

    private long timeout(final String ctx, final JsonNode a, final String fallback)
    {
        final long t = duration(ctx, "action.timeout", text(ctx + " action", a, "timeout", fallback));
        if (t <= 0)
        {
            throw fail(ctx + ": key 'action.timeout': must be longer than 0");
        }
        return t;
    }

    private void checkKeys(final JsonNode node, final List<String> allowed, final String ctx)
    {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext())
        {
            final String key = names.next();
            if (!allowed.contains(key))
            {
                throw fail(ctx + ": unknown key '" + key + "'" + closest(key, allowed) + "; allowed here: " + allowed);
            }
        }
    }

    private static String closest(final String key, final List<String> allowed)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String a : allowed)
        {
            final int d = distance(key.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = a;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(final String a, final String b)
    {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                    d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }

    private String text(final String ctx, final JsonNode node, final String key, final String fallback)
    {
        final JsonNode v = node.get(key);
        if (v == null || v.isNull())
        {
            return fallback;
        }
        if (!v.isTextual())
        {
            throw fail(ctx + ": key '" + key + "': expected a text value, got " + v);
        }
        return v.asText().trim();
    }

    private List<String> texts(final String ctx, final JsonNode node, final String key)
    {
        final JsonNode v = node.get(key);
        if (v == null || v.isNull())
        {
            return List.of();
        }
        if (v.isTextual())
        {
            return List.of(v.asText().trim());
        }
        if (v.isArray())
        {
            final List<String> out = new ArrayList<>();
            for (final JsonNode item : v)
            {
                if (!item.isTextual())
                {
                    throw fail(ctx + ": key 'match." + key + "': expected text values, got " + item);
                }
                out.add(item.asText().trim());
            }
            return out;
        }
        throw fail(ctx + ": key 'match." + key + "': expected a text or a list of texts, got " + v);
    }

    private boolean bool(final String ctx, final JsonNode node, final String key, final boolean fallback)
    {
        final JsonNode v = node.get(key);
        if (v == null || v.isNull())
        {
            return fallback;
        }
        if (!v.isBoolean())
        {
            throw fail(ctx + ": key '" + key + "': expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    private long duration(final String ctx, final String key, final String text)
    {
        try
        {
            return Units.parseDuration(text).toMillis();
        }
        catch (final IllegalArgumentException ex)
        {
            throw fail(ctx + ": key '" + key + "': " + ex.getMessage());
        }
    }

    private static List<Pattern> globs(final List<String> texts)
    {
        final List<Pattern> out = new ArrayList<>();
        for (final String t : texts)
        {
            out.add(Match.glob(t));
        }
        return List.copyOf(out);
    }

    private ConfigException fail(final String message)
    {
        return new ConfigException("remediation rules file '" + file + "': " + message);
    }
}
