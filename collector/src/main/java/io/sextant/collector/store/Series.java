package io.sextant.collector.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * Identity of a series: name, kind, unit and labels (sorted). Subclasses hold the data.
 */
public abstract class Series
{
    /** What a series measures. */
    public enum Kind
    {
        COUNTER, GAUGE, HISTOGRAM
    }

    private final int id;
    private final String name;
    private final Kind kind;
    private final String unit;
    private final Map<String, String> labels;
    volatile long lastTimeMillis;

    Series(final int id, final String name, final Kind kind, final String unit, final Map<String, String> labels)
    {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.unit = unit;
        this.labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public int id()
    {
        return id;
    }

    public String name()
    {
        return name;
    }

    public Kind kind()
    {
        return kind;
    }

    public String unit()
    {
        return unit;
    }

    /**
     * @return labels, sorted by name, unmodifiable.
     */
    public Map<String, String> labels()
    {
        return labels;
    }

    public long lastTimeMillis()
    {
        return lastTimeMillis;
    }

    /**
     * Retention: drops data entirely older than the time. Writer thread only.
     *
     * @return chunks dropped.
     */
    abstract int dropBefore(long timeMillis);

    /**
     * @return approximate bytes of data held.
     */
    public abstract long sizeBytes();

    static String key(final String name, final Map<String, String> labels)
    {
        final StringBuilder sb = new StringBuilder(name).append('{');
        for (final Map.Entry<String, String> e : new TreeMap<>(labels).entrySet())
        {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\u0001');
        }
        return sb.append('}').toString();
    }
}
