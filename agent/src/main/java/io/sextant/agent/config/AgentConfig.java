package io.sextant.agent.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Every agent configuration key, declared once with its default and meaning, and the validated
 * values of one agent start.
 *
 * <p>Sources, first wins: agent arguments ({@code -javaagent:sextant-agent.jar=key=value,...}, the
 * key with or without its {@code sextant.agent.} prefix), then system properties
 * ({@code sextant.agent.endpoint}), then environment variables ({@code SEXTANT_AGENT_ENDPOINT}),
 * then the default. Durations and sizes need a unit ({@code 250ms}, {@code 16MiB}); bare numbers
 * are refused. An unknown {@code sextant.agent.*} key (in any source) or a bad value is refused with
 * one line naming the key, its source, what was expected and the closest valid key; the agent then
 * stays off. {@code agent/README-config.md} lists the same table and a test keeps the two in sync.
 *
 * <p>Immutable once loaded; read by any thread.
 */
public final class AgentConfig
{
    /** Kinds of value and how they are written. */
    public enum Type
    {
        BOOLEAN("true or false"),
        TEXT("text"),
        ENDPOINT("host:port, for example 127.0.0.1:4710"),
        DURATION("a duration with a unit (ns, us, ms, s, m, h), for example 250ms"),
        SIZE("a size with a unit (B, KiB, MiB, GiB), for example 16MiB"),
        RATE("a count per second, for example 1000/s"),
        LEVEL("one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL"),
        TLS("off (TLS is not supported by this version yet)"),
        MODE("one of auto, on, off");

        final String expected;

        Type(final String expected)
        {
            this.expected = expected;
        }

        /**
         * @return what a value of this type looks like, for error messages and the README.
         */
        public String expected()
        {
            return expected;
        }
    }

    /**
     * One configuration key.
     *
     * @param name         full name, for example {@code sextant.agent.endpoint}.
     * @param type         kind of value.
     * @param defaultValue default as text ({@code ""} for none).
     * @param meaning      what it does, one sentence.
     */
    public record Key(String name, Type type, String defaultValue, String meaning)
    {
        /**
         * @return the environment variable twin, for example {@code SEXTANT_AGENT_ENDPOINT}.
         */
        public String envName()
        {
            return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }

        /**
         * @return the name without the {@code sextant.agent.} prefix, as accepted in agent arguments.
         */
        public String shortName()
        {
            return name.substring(PREFIX.length());
        }
    }

    /** Prefix of every agent key. */
    public static final String PREFIX = "sextant.agent.";
    static final String ENV_PREFIX = "SEXTANT_AGENT_";

    public static final String ENABLED_PROP_NAME = "sextant.agent.enabled";
    public static final String ENABLED_DEFAULT = "true";
    public static final String ENDPOINT_PROP_NAME = "sextant.agent.endpoint";
    public static final String ENDPOINT_DEFAULT = "127.0.0.1:4710";
    public static final String SERVICE_PROP_NAME = "sextant.agent.service";
    public static final String SERVICE_DEFAULT = "";
    public static final String TOKEN_PROP_NAME = "sextant.agent.token";
    public static final String TOKEN_DEFAULT = "";
    public static final String ID_PROP_NAME = "sextant.agent.id";
    public static final String ID_DEFAULT = "";
    public static final String METRICS_INTERVAL_PROP_NAME = "sextant.agent.metrics-interval";
    public static final String METRICS_INTERVAL_DEFAULT = "1s";
    public static final String JVM_METRICS_PROP_NAME = "sextant.agent.jvm-metrics";
    public static final String JVM_METRICS_DEFAULT = "true";
    public static final String BATCH_DELAY_PROP_NAME = "sextant.agent.batch-delay";
    public static final String BATCH_DELAY_DEFAULT = "200ms";
    public static final String MAX_FRAME_SIZE_PROP_NAME = "sextant.agent.max-frame-size";
    public static final String MAX_FRAME_SIZE_DEFAULT = "64KiB";
    public static final String BUFFER_SIZE_PROP_NAME = "sextant.agent.buffer-size";
    public static final String BUFFER_SIZE_DEFAULT = "1MiB";
    public static final String MEMORY_LIMIT_PROP_NAME = "sextant.agent.memory-limit";
    public static final String MEMORY_LIMIT_DEFAULT = "16MiB";
    public static final String LOGS_PROP_NAME = "sextant.agent.logs";
    public static final String LOGS_DEFAULT = "true";
    public static final String LOG_LEVEL_PROP_NAME = "sextant.agent.log-level";
    public static final String LOG_LEVEL_DEFAULT = "INFO";
    public static final String LOG_RATE_LIMIT_PROP_NAME = "sextant.agent.log-rate-limit";
    public static final String LOG_RATE_LIMIT_DEFAULT = "1000/s";
    public static final String TLS_PROP_NAME = "sextant.agent.tls";
    public static final String TLS_DEFAULT = "off";
    public static final String CONNECT_TIMEOUT_PROP_NAME = "sextant.agent.connect-timeout";
    public static final String CONNECT_TIMEOUT_DEFAULT = "2s";
    public static final String RECONNECT_MIN_PROP_NAME = "sextant.agent.reconnect-backoff-min";
    public static final String RECONNECT_MIN_DEFAULT = "100ms";
    public static final String RECONNECT_MAX_PROP_NAME = "sextant.agent.reconnect-backoff-max";
    public static final String RECONNECT_MAX_DEFAULT = "10s";
    public static final String START_DELAY_PROP_NAME = "sextant.agent.start-delay";
    public static final String START_DELAY_DEFAULT = "1s";
    public static final String SHUTDOWN_TIMEOUT_PROP_NAME = "sextant.agent.shutdown-timeout";
    public static final String SHUTDOWN_TIMEOUT_DEFAULT = "2s";
    public static final String HEARTBEAT_INTERVAL_PROP_NAME = "sextant.agent.heartbeat-interval";
    public static final String HEARTBEAT_INTERVAL_DEFAULT = "5s";
    public static final String SMILE_PROP_NAME = "sextant.agent.smile";
    public static final String SMILE_DEFAULT = "auto";
    public static final String SMILE_MODEL_NAMES_PROP_NAME = "sextant.agent.smile-model-names";
    public static final String SMILE_MODEL_NAMES_DEFAULT = "";
    public static final String SMILE_MODEL_VERSION_PROP_NAME = "sextant.agent.smile-model-version";
    public static final String SMILE_MODEL_VERSION_DEFAULT = "unknown";
    public static final String SMILE_MAX_FEATURES_PROP_NAME = "sextant.agent.smile-max-features";
    public static final String SMILE_MAX_FEATURES_DEFAULT = "8";
    /** Most numeric features {@link #SMILE_MAX_FEATURES_PROP_NAME} allows. */
    public static final int SMILE_MAX_FEATURES_LIMIT = 256;
    public static final String JFR_PROP_NAME = "sextant.agent.jfr";
    public static final String JFR_DEFAULT = "auto";
    public static final String JFR_INTERVAL_PROP_NAME = "sextant.agent.jfr-interval";
    public static final String JFR_INTERVAL_DEFAULT = "10s";
    public static final String JFR_LOCK_THRESHOLD_PROP_NAME = "sextant.agent.jfr-lock-threshold";
    public static final String JFR_LOCK_THRESHOLD_DEFAULT = "10ms";

    /** All keys, in README order. */
    public static final List<Key> KEYS = List.of(
        new Key(ENABLED_PROP_NAME, Type.BOOLEAN, ENABLED_DEFAULT, "Turns the agent on or off."),
        new Key(ENDPOINT_PROP_NAME, Type.ENDPOINT, ENDPOINT_DEFAULT, "The collector's ingest address."),
        new Key(SERVICE_PROP_NAME, Type.TEXT, SERVICE_DEFAULT,
            "Logical service name; empty means the main class or jar name."),
        new Key(TOKEN_PROP_NAME, Type.TEXT, TOKEN_DEFAULT, "Authentication token sent in HELLO; never printed."),
        new Key(ID_PROP_NAME, Type.TEXT, ID_DEFAULT,
            "Agent id (a UUID); empty means one derived from host, service and working directory."),
        new Key(METRICS_INTERVAL_PROP_NAME, Type.DURATION, METRICS_INTERVAL_DEFAULT,
            "How often JVM, custom and agent metrics are sampled and shipped."),
        new Key(JVM_METRICS_PROP_NAME, Type.BOOLEAN, JVM_METRICS_DEFAULT, "Collect JVM metrics."),
        new Key(BATCH_DELAY_PROP_NAME, Type.DURATION, BATCH_DELAY_DEFAULT,
            "Longest time a log, inference or label record waits for its batch to fill before the frame is sent."),
        new Key(MAX_FRAME_SIZE_PROP_NAME, Type.SIZE, MAX_FRAME_SIZE_DEFAULT,
            "Largest frame the agent writes (4KiB to 1MiB)."),
        new Key(BUFFER_SIZE_PROP_NAME, Type.SIZE, BUFFER_SIZE_DEFAULT,
            "Off-heap ring buffer between application threads and the sender (rounded down to a power of two); " +
            "when full, records are dropped and counted. 1MiB holds about 6,000 inference records with 8 features, " +
            "or 2,000 log records."),
        new Key(MEMORY_LIMIT_PROP_NAME, Type.SIZE, MEMORY_LIMIT_DEFAULT,
            "All buffer memory of the agent: ring buffer, frame batches and frames kept until acknowledged."),
        new Key(LOGS_PROP_NAME, Type.BOOLEAN, LOGS_DEFAULT,
            "Capture logs from java.util.logging, Logback and Log4j 2."),
        new Key(LOG_LEVEL_PROP_NAME, Type.LEVEL, LOG_LEVEL_DEFAULT, "Lowest level of captured log records."),
        new Key(LOG_RATE_LIMIT_PROP_NAME, Type.RATE, LOG_RATE_LIMIT_DEFAULT,
            "Most log records captured per second; the rest are dropped and counted."),
        new Key(TLS_PROP_NAME, Type.TLS, TLS_DEFAULT, "TLS to the collector."),
        new Key(CONNECT_TIMEOUT_PROP_NAME, Type.DURATION, CONNECT_TIMEOUT_DEFAULT,
            "Time allowed for a TCP connection to the collector."),
        new Key(RECONNECT_MIN_PROP_NAME, Type.DURATION, RECONNECT_MIN_DEFAULT,
            "First reconnect delay; doubles after each failure, with jitter."),
        new Key(RECONNECT_MAX_PROP_NAME, Type.DURATION, RECONNECT_MAX_DEFAULT, "Longest reconnect delay."),
        new Key(HEARTBEAT_INTERVAL_PROP_NAME, Type.DURATION, HEARTBEAT_INTERVAL_DEFAULT,
            "Heartbeat interval when the collector's WELCOME does not set one."),
        new Key(START_DELAY_PROP_NAME, Type.DURATION, START_DELAY_DEFAULT,
            "How long the sender thread waits before it builds its connection and JVM metrics, so that the application " +
            "starts without competing with them; what is recorded meanwhile is buffered. JVM exit ends the wait."),
        new Key(SHUTDOWN_TIMEOUT_PROP_NAME, Type.DURATION, SHUTDOWN_TIMEOUT_DEFAULT,
            "Longest time JVM exit waits for the agent to send what it holds and get it acknowledged; 0s to not wait."),
        new Key(SMILE_PROP_NAME, Type.TEXT, SMILE_DEFAULT,
            "Record Smile classifier and regression predict calls: auto (until the application registers a model through sextant-api), on or off."),
        new Key(SMILE_MODEL_NAMES_PROP_NAME, Type.TEXT, SMILE_MODEL_NAMES_DEFAULT,
            "Model names for Smile model classes, class=name separated by semicolons (LogisticRegression=credit;smile.regression.LinearModel=price); unnamed classes use their simple name."),
        new Key(SMILE_MODEL_VERSION_PROP_NAME, Type.TEXT, SMILE_MODEL_VERSION_DEFAULT,
            "Model version recorded with Smile inferences."),
        new Key(SMILE_MAX_FEATURES_PROP_NAME, Type.TEXT, SMILE_MAX_FEATURES_DEFAULT,
            "Most numeric features (the first values of a double[] input, named f0, f1, ...) recorded per Smile inference, 0 to 256."),
        new Key(JFR_PROP_NAME, Type.MODE, JFR_DEFAULT,
            "Safepoint pauses and lock contention from a JDK Flight Recorder recording the sender thread reads: auto uses JFR only when it already runs in the JVM (it costs 2 threads and about 40 MiB once started), on starts it, off never."),
        new Key(JFR_INTERVAL_PROP_NAME, Type.DURATION, JFR_INTERVAL_DEFAULT,
            "How often the sender reads the JFR recording (at least 100ms; each read parses a dump of it)."),
        new Key(JFR_LOCK_THRESHOLD_PROP_NAME, Type.DURATION, JFR_LOCK_THRESHOLD_DEFAULT,
            "Shortest wait to enter a contended monitor that JFR records and the agent counts."));

    private static final Map<String, Key> BY_NAME = new HashMap<>();
    private static final Map<String, Key> BY_ENV = new HashMap<>();

    static
    {
        for (final Key key : KEYS)
        {
            BY_NAME.put(key.name(), key);
            BY_ENV.put(key.envName(), key);
        }
    }

    private final Map<String, String> values;
    private final Map<String, String> sources;

    private AgentConfig(final Map<String, String> values, final Map<String, String> sources)
    {
        this.values = values;
        this.sources = sources;
    }

    /**
     * Reads and validates the configuration.
     *
     * @param agentArgs  the {@code -javaagent} argument string, or null.
     * @param properties system properties.
     * @param env        environment variables.
     * @return the validated configuration.
     * @throws ConfigException naming the first bad or unknown key.
     */
    public static AgentConfig load(final String agentArgs, final Properties properties, final Map<String, String> env)
        throws ConfigException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, String> sources = new HashMap<>();
        for (final Map.Entry<String, String> e : env.entrySet())
        {
            if (e.getKey().startsWith(ENV_PREFIX))
            {
                final Key key = BY_ENV.get(e.getKey());
                if (key == null)
                {
                    throw unknown(e.getKey(), "environment variable", true);
                }
                values.put(key.name(), e.getValue());
                sources.put(key.name(), "environment variable " + e.getKey());
            }
        }
        for (final String name : properties.stringPropertyNames())
        {
            if (name.startsWith(PREFIX))
            {
                final Key key = BY_NAME.get(name);
                if (key == null)
                {
                    throw unknown(name, "system property", false);
                }
                values.put(name, properties.getProperty(name));
                sources.put(name, "system property");
            }
        }
        if (agentArgs != null && !agentArgs.isBlank())
        {
            for (final String item : agentArgs.split(","))
            {
                if (item.isBlank())
                {
                    continue;
                }
                final int eq = item.indexOf('=');
                if (eq <= 0)
                {
                    throw new ConfigException("agent argument '" + item.trim() +
                        "' is not key=value (expected for example endpoint=127.0.0.1:4710)");
                }
                final String raw = item.substring(0, eq).trim();
                final String name = raw.startsWith(PREFIX) ? raw : PREFIX + raw;
                if (!BY_NAME.containsKey(name))
                {
                    throw unknown(raw, "agent argument", false);
                }
                values.put(name, item.substring(eq + 1).trim());
                sources.put(name, "agent argument");
            }
        }
        for (final Key key : KEYS)
        {
            values.putIfAbsent(key.name(), key.defaultValue());
            sources.putIfAbsent(key.name(), "default");
        }
        final AgentConfig config = new AgentConfig(Collections.unmodifiableMap(values), sources);
        config.validate();
        return config;
    }

    private void validate() throws ConfigException
    {
        for (final Key key : KEYS)
        {
            check(key);
        }
        final long frame = bytes(MAX_FRAME_SIZE_PROP_NAME);
        if (frame < 4096 || frame > (1 << 20))
        {
            throw bad(BY_NAME.get(MAX_FRAME_SIZE_PROP_NAME), "a size from 4KiB to 1MiB");
        }
        final long ring = ringBufferBytes();
        if (ring < 64 * 1024)
        {
            throw bad(BY_NAME.get(BUFFER_SIZE_PROP_NAME), "a size of at least 64KiB");
        }
        if (keptFrameBytes() < 4 * frame)
        {
            throw new ConfigException(MEMORY_LIMIT_PROP_NAME + "=" + values.get(MEMORY_LIMIT_PROP_NAME) + " (" +
                sources.get(MEMORY_LIMIT_PROP_NAME) + ") is too small: expected at least buffer-size + 8 x max-frame-size (" +
                (ring + 8 * frame) / 1024 + "KiB)");
        }
        if (reconnectMaxNanos() < reconnectMinNanos())
        {
            throw bad(BY_NAME.get(RECONNECT_MAX_PROP_NAME), "a duration no shorter than " + RECONNECT_MIN_PROP_NAME);
        }
        if (jfrIntervalNanos() < TimeUnit.MILLISECONDS.toNanos(100))
        {
            throw bad(BY_NAME.get(JFR_INTERVAL_PROP_NAME), "a duration of at least 100ms");
        }
        if (metricsIntervalNanos() < TimeUnit.MILLISECONDS.toNanos(10))
        {
            throw bad(BY_NAME.get(METRICS_INTERVAL_PROP_NAME), "a duration of at least 10ms");
        }
        final String smile = values.get(SMILE_PROP_NAME);
        if (!smile.equals("auto") && !smile.equals("on") && !smile.equals("off"))
        {
            throw bad(BY_NAME.get(SMILE_PROP_NAME), "auto, on or off");
        }
        if (smileMaxFeatures() < 0)
        {
            throw bad(BY_NAME.get(SMILE_MAX_FEATURES_PROP_NAME), "a whole number from 0 to " + SMILE_MAX_FEATURES_LIMIT);
        }
        if (smileModelNames() == null)
        {
            throw bad(BY_NAME.get(SMILE_MODEL_NAMES_PROP_NAME),
                "class=name pairs separated by semicolons, for example LogisticRegression=credit;OLS=price");
        }
        final String id = values.get(ID_PROP_NAME);
        if (!id.isEmpty())
        {
            try
            {
                UUID.fromString(id);
            }
            catch (final IllegalArgumentException ex)
            {
                throw bad(BY_NAME.get(ID_PROP_NAME), "a UUID such as 123e4567-e89b-12d3-a456-426614174000");
            }
        }
    }

    private void check(final Key key) throws ConfigException
    {
        final String value = values.get(key.name());
        final boolean ok = switch (key.type())
        {
            case BOOLEAN -> value.equals("true") || value.equals("false");
            case TEXT -> true;
            case ENDPOINT -> parsePort(value) > 0;
            case DURATION -> parseDurationNanos(value) >= 0;
            case SIZE -> parseSizeBytes(value) >= 0;
            case RATE -> parseRate(value) >= 0;
            case LEVEL -> levelCode(value) > 0;
            case TLS -> value.equals("off");
            case MODE -> value.equals("auto") || value.equals("on") || value.equals("off");
        };
        if (!ok)
        {
            throw bad(key, key.type().expected());
        }
    }

    private ConfigException bad(final Key key, final String expected)
    {
        return new ConfigException("bad value '" + values.get(key.name()) + "' for " + key.name() + " (" +
            sources.get(key.name()) + "): expected " + expected);
    }

    private static ConfigException unknown(final String name, final String source, final boolean env)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final Key key : KEYS)
        {
            final String candidate = env ? key.envName() : name.startsWith(PREFIX) ? key.name() : key.shortName();
            final int d = editDistance(name, candidate);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return new ConfigException("unknown key '" + name + "' (" + source + "): expected one of the " + KEYS.size() +
            " keys in agent/README-config.md; did you mean '" + best + "'?");
    }

    /**
     * @param a a string.
     * @param b another.
     * @return the Levenshtein distance between them.
     */
    static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            final int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /**
     * @param text for example {@code 250ms}.
     * @return nanoseconds, or -1 when the text is not a duration with a unit.
     */
    public static long parseDurationNanos(final String text)
    {
        final int split = unitStart(text);
        if (split <= 0 || split == text.length())
        {
            return -1;
        }
        final long n = Long.parseLong(text.substring(0, split));
        final TimeUnit unit = switch (text.substring(split))
        {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            default -> null;
        };
        return unit == null ? -1 : unit.toNanos(n);
    }

    /**
     * @param text for example {@code 16MiB}.
     * @return bytes, or -1 when the text is not a size with a unit.
     */
    public static long parseSizeBytes(final String text)
    {
        final int split = unitStart(text);
        if (split <= 0 || split == text.length())
        {
            return -1;
        }
        final long n = Long.parseLong(text.substring(0, split));
        final long scale = switch (text.substring(split))
        {
            case "B" -> 1L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> -1L;
        };
        return scale < 0 || n > (Long.MAX_VALUE / scale) ? -1 : n * scale;
    }

    static long parseRate(final String text)
    {
        if (!text.endsWith("/s"))
        {
            return -1;
        }
        final String number = text.substring(0, text.length() - 2);
        return unitStart(number) == number.length() && !number.isEmpty() ? Long.parseLong(number) : -1;
    }

    private static int unitStart(final String text)
    {
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && i < 15)
        {
            i++;
        }
        return i < text.length() && Character.isDigit(text.charAt(i)) ? -1 : i;
    }

    private static int parsePort(final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1)
        {
            return -1;
        }
        final String port = endpoint.substring(colon + 1);
        if (unitStart(port) != port.length())
        {
            return -1;
        }
        final int p = Integer.parseInt(port);
        return p > 0 && p < 65536 ? p : -1;
    }

    /**
     * @param level a level name.
     * @return its protocol code (TRACE 1 .. FATAL 6), or -1.
     */
    public static int levelCode(final String level)
    {
        return switch (level.toUpperCase(Locale.ROOT))
        {
            case "TRACE" -> 1;
            case "DEBUG" -> 2;
            case "INFO" -> 3;
            case "WARN" -> 4;
            case "ERROR" -> 5;
            case "FATAL" -> 6;
            default -> -1;
        };
    }

    /**
     * @param name a key's full name.
     * @return its value as text.
     */
    public String get(final String name)
    {
        return values.get(name);
    }

    private long nanos(final String name)
    {
        return parseDurationNanos(values.get(name));
    }

    private long bytes(final String name)
    {
        return parseSizeBytes(values.get(name));
    }

    public boolean enabled()
    {
        return Boolean.parseBoolean(values.get(ENABLED_PROP_NAME));
    }

    public String endpointHost()
    {
        final String e = values.get(ENDPOINT_PROP_NAME);
        return e.substring(0, e.lastIndexOf(':'));
    }

    public int endpointPort()
    {
        return parsePort(values.get(ENDPOINT_PROP_NAME));
    }

    /**
     * @return the configured service name, or the main class or jar name from {@code sun.java.command}.
     */
    public String service()
    {
        final String configured = values.get(SERVICE_PROP_NAME);
        if (!configured.isEmpty())
        {
            return configured;
        }
        final String command = System.getProperty("sun.java.command", "");
        String first = command.isBlank() ? "unknown" : command.trim().split("\\s+")[0];
        final int slash = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
        if (first.endsWith(".jar"))
        {
            first = first.substring(slash + 1, first.length() - 4);
        }
        return first;
    }

    public String token()
    {
        return values.get(TOKEN_PROP_NAME);
    }

    /**
     * @param host host name.
     * @return the configured agent id, or a name-based UUID of host, service and working directory.
     */
    public UUID agentId(final String host)
    {
        final String id = values.get(ID_PROP_NAME);
        if (!id.isEmpty())
        {
            return UUID.fromString(id);
        }
        return UUID.nameUUIDFromBytes((host + "|" + service() + "|" + System.getProperty("user.dir", ""))
            .getBytes(StandardCharsets.UTF_8));
    }

    public long metricsIntervalNanos()
    {
        return nanos(METRICS_INTERVAL_PROP_NAME);
    }

    public boolean jvmMetrics()
    {
        return Boolean.parseBoolean(values.get(JVM_METRICS_PROP_NAME));
    }

    public long batchDelayNanos()
    {
        return nanos(BATCH_DELAY_PROP_NAME);
    }

    public int maxFrameBytes()
    {
        return (int)bytes(MAX_FRAME_SIZE_PROP_NAME);
    }

    /**
     * @return ring buffer data capacity: the configured size rounded down to a power of two.
     */
    public int ringBufferBytes()
    {
        final long size = Math.min(bytes(BUFFER_SIZE_PROP_NAME), 1L << 30);
        return Integer.highestOneBit((int)size);
    }

    public long memoryLimitBytes()
    {
        return bytes(MEMORY_LIMIT_PROP_NAME);
    }

    /**
     * @return bytes left for frames kept until acknowledged: the memory limit less the ring buffer
     * and the four frame batches.
     */
    public int keptFrameBytes()
    {
        final long left = memoryLimitBytes() - ringBufferBytes() - 4L * maxFrameBytes();
        return (int)Math.max(0, Math.min(left, 1L << 30));
    }

    public boolean logs()
    {
        return Boolean.parseBoolean(values.get(LOGS_PROP_NAME));
    }

    public int logLevel()
    {
        return levelCode(values.get(LOG_LEVEL_PROP_NAME));
    }

    public long logRatePerSecond()
    {
        return parseRate(values.get(LOG_RATE_LIMIT_PROP_NAME));
    }

    public long connectTimeoutNanos()
    {
        return nanos(CONNECT_TIMEOUT_PROP_NAME);
    }

    public long reconnectMinNanos()
    {
        return nanos(RECONNECT_MIN_PROP_NAME);
    }

    public long reconnectMaxNanos()
    {
        return nanos(RECONNECT_MAX_PROP_NAME);
    }

    public long startDelayNanos()
    {
        return nanos(START_DELAY_PROP_NAME);
    }

    public long shutdownTimeoutNanos()
    {
        return nanos(SHUTDOWN_TIMEOUT_PROP_NAME);
    }

    public long heartbeatIntervalNanos()
    {
        return nanos(HEARTBEAT_INTERVAL_PROP_NAME);
    }

    /**
     * @return {@code auto}, {@code on} or {@code off}.
     */
    public String smileMode()
    {
        return values.get(SMILE_PROP_NAME);
    }

    /**
     * @return model names by Smile class name; null when the value is malformed (refused at load).
     */
    public Map<String, String> smileModelNames()
    {
        final String text = values.get(SMILE_MODEL_NAMES_PROP_NAME).trim();
        final Map<String, String> names = new HashMap<>();
        if (text.isEmpty())
        {
            return names;
        }
        for (final String entry : text.split(";"))
        {
            if (entry.isBlank())
            {
                continue;
            }
            final int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.trim().length() - 1 || entry.substring(eq + 1).isBlank())
            {
                return null;
            }
            names.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return names;
    }

    /**
     * @return the version recorded with Smile inferences.
     */
    public String smileModelVersion()
    {
        return values.get(SMILE_MODEL_VERSION_PROP_NAME);
    }

    /**
     * @return most numeric features per Smile inference, or -1 when the value is malformed (refused at load).
     */
    public int smileMaxFeatures()
    {
        try
        {
            final int n = Integer.parseInt(values.get(SMILE_MAX_FEATURES_PROP_NAME).trim());
            return n >= 0 && n <= SMILE_MAX_FEATURES_LIMIT ? n : -1;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * @return {@code auto}, {@code on} or {@code off}.
     */
    public String jfr()
    {
        return values.get(JFR_PROP_NAME);
    }

    public long jfrIntervalNanos()
    {
        return nanos(JFR_INTERVAL_PROP_NAME);
    }

    public long jfrLockThresholdNanos()
    {
        return nanos(JFR_LOCK_THRESHOLD_PROP_NAME);
    }

    /**
     * @return host name, or "localhost" when it cannot be found.
     */
    public static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final Exception ex)
        {
            return "localhost";
        }
    }

    /**
     * @return keys and where their values came from, for a start-up line (the token is hidden).
     */
    public List<String> describe()
    {
        final List<String> lines = new ArrayList<>();
        for (final Key key : KEYS)
        {
            if (!"default".equals(sources.get(key.name())))
            {
                lines.add(key.shortName() + "=" + (key.name().equals(TOKEN_PROP_NAME) ? "***" : values.get(key.name())));
            }
        }
        return lines;
    }
}
