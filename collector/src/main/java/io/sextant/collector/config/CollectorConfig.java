package io.sextant.collector.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Resolved, validated collector configuration. Precedence: explicit overrides (command line), then
 * system properties {@code sextant.collector.*}, then environment {@code SEXTANT_COLLECTOR_*}, then
 * the defaults declared in {@link Settings}. Immutable once built.
 */
public final class CollectorConfig
{
    private final Map<Setting, String> raw;

    private CollectorConfig(final Map<Setting, String> raw)
    {
        this.raw = raw;
        for (final Setting s : Settings.ALL)
        {
            validate(s, raw.get(s));
        }
        final long ring = Units.parseSize(raw.get(Settings.RING_SIZE));
        final long frame = Units.parseSize(raw.get(Settings.MAX_FRAME_LENGTH));
        if (Long.highestOneBit(ring) / 8 < frame + 48)
        {
            throw new ConfigException(Settings.RING_SIZE.property() + " = '" + raw.get(Settings.RING_SIZE) +
                "': a ring message may take an eighth of the ring (rounded down to a power of two), which must " +
                "hold a frame of " + Settings.MAX_FRAME_LENGTH.property() + " = '" + raw.get(Settings.MAX_FRAME_LENGTH) +
                "'; use at least " + (Long.highestOneBit((frame + 48) * 8 - 1) * 2) + "B");
        }
    }

    /**
     * @return configuration from this process's system properties and environment.
     */
    public static CollectorConfig fromSystem()
    {
        return load(Map.of(), System.getProperties(), System.getenv());
    }

    /**
     * @param overrides   key suffix or full property name to value (highest precedence).
     * @param properties  system properties.
     * @param environment environment variables.
     * @return the validated configuration.
     * @throws ConfigException naming the key that is wrong.
     */
    public static CollectorConfig load(
        final Map<String, String> overrides, final java.util.Properties properties, final Map<String, String> environment)
    {
        final Map<Setting, String> values = new HashMap<>();
        for (final Setting s : Settings.ALL)
        {
            values.put(s, s.defaultValue());
        }
        for (final Map.Entry<String, String> e : environment.entrySet())
        {
            if (e.getKey().startsWith(Setting.ENV_PREFIX))
            {
                values.put(byEnv(e.getKey()), e.getValue());
            }
        }
        for (final String name : properties.stringPropertyNames())
        {
            if (name.startsWith(Setting.PROPERTY_PREFIX))
            {
                values.put(byProperty(name), properties.getProperty(name));
            }
        }
        for (final Map.Entry<String, String> e : overrides.entrySet())
        {
            final String key = e.getKey().startsWith(Setting.PROPERTY_PREFIX) ?
                e.getKey() : Setting.PROPERTY_PREFIX + e.getKey();
            values.put(byProperty(key), e.getValue());
        }
        return new CollectorConfig(values);
    }

    /**
     * @param overrides key suffix to value, on top of the defaults only (tests).
     * @return the configuration.
     */
    public static CollectorConfig of(final Map<String, String> overrides)
    {
        return load(overrides, new java.util.Properties(), Map.of());
    }

    private static Setting byProperty(final String property)
    {
        for (final Setting s : Settings.ALL)
        {
            if (s.property().equals(property))
            {
                return s;
            }
        }
        throw new ConfigException("unknown configuration key '" + property + "'; did you mean '" +
            closest(property, true) + "'?");
    }

    private static Setting byEnv(final String env)
    {
        for (final Setting s : Settings.ALL)
        {
            if (s.env().equals(env))
            {
                return s;
            }
        }
        throw new ConfigException("unknown configuration environment variable '" + env + "'; did you mean '" +
            closest(env, false) + "'?");
    }

    static String closest(final String name, final boolean property)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final Setting s : Settings.ALL)
        {
            final String candidate = property ? s.property() : s.env();
            final int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int distance(final String a, final String b)
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

    private static void validate(final Setting s, final String value)
    {
        try
        {
            switch (s.type())
            {
                case PORT:
                    final int port = Integer.parseInt(value.trim());
                    if (port < 0 || port > 65535)
                    {
                        throw new IllegalArgumentException("port " + port + " is outside 0..65535");
                    }
                    break;
                case COUNT:
                    if (Long.parseLong(value.trim()) <= 0)
                    {
                        throw new IllegalArgumentException("expected a positive whole number");
                    }
                    break;
                case DURATION:
                    if (!(offAllowed(s) && isOff(value)))
                    {
                        Units.parseDuration(value);
                    }
                    break;
                case SIZE:
                    Units.parseSize(value);
                    break;
                case CHOICE:
                    if (!Settings.choices(s).contains(value.trim()))
                    {
                        throw new IllegalArgumentException("expected one of " + Settings.choices(s));
                    }
                    break;
                default:
                    break;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(s.property() + " (" + s.env() + ") = '" + value + "': " + ex.getMessage());
        }
        if (s == Settings.MAX_FRAME_LENGTH && (Units.parseSize(value) < 64 || Units.parseSize(value) > (1 << 24)))
        {
            throw new ConfigException(s.property() + " = '" + value + "': must be between 64B and 16MiB");
        }
    }

    public String string(final Setting s)
    {
        return raw.get(s).trim();
    }

    public Path path(final Setting s)
    {
        return Path.of(string(s));
    }

    public int port(final Setting s)
    {
        return Integer.parseInt(string(s));
    }

    public long count(final Setting s)
    {
        return Long.parseLong(string(s));
    }

    public int intCount(final Setting s)
    {
        return (int)Math.min(Integer.MAX_VALUE, count(s));
    }

    /**
     * @return the duration, or zero for {@code 0} / {@code off} (keys that allow switching off).
     */
    public Duration durationOrOff(final Setting s)
    {
        return offAllowed(s) && isOff(string(s)) ? Duration.ZERO : duration(s);
    }

    private static boolean offAllowed(final Setting s)
    {
        return s == Settings.CHECKPOINT_INTERVAL || s == Settings.ANALYSIS_WARMUP;
    }

    private static boolean isOff(final String value)
    {
        final String v = value.trim();
        return "off".equalsIgnoreCase(v) || "0".equals(v);
    }

    public Duration duration(final Setting s)
    {
        return Units.parseDuration(string(s));
    }

    public long size(final Setting s)
    {
        return Units.parseSize(string(s));
    }

    public List<String> list(final Setting s)
    {
        final String v = string(s);
        return v.isEmpty() ? List.of() :
            Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * @param overrides more values (key suffix to value).
     * @return a copy with the overrides applied on top.
     */
    public CollectorConfig with(final Map<String, String> overrides)
    {
        final Map<Setting, String> copy = new HashMap<>(raw);
        for (final Map.Entry<String, String> e : overrides.entrySet())
        {
            copy.put(byProperty(Setting.PROPERTY_PREFIX + e.getKey()), Objects.requireNonNull(e.getValue()));
        }
        return new CollectorConfig(copy);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Setting s : Settings.ALL)
        {
            sb.append(s.property()).append('=').append(s == Settings.TOKENS && !raw.get(s).isEmpty() ?
                "(" + list(s).size() + " tokens)" : raw.get(s)).append('\n');
        }
        return sb.toString();
    }
}
