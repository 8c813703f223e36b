package io.sextant.agent.record;

import java.util.HashMap;
import java.util.Map;

/**
 * Model versions declared through {@code sextant-api}: name, version and feature names, kept here
 * once so that each inference record in the ring carries only the model's id and the values.
 *
 * <p>Threads: registration from any thread (synchronized, cold); application threads read the
 * feature counts and the sender thread reads the names of ids already published through
 * {@link #count}.
 */
public final class ModelRegistry
{
    /** Most model versions per JVM. */
    public static final int MAX_MODELS = 1024;

    private final String[] names = new String[MAX_MODELS];
    private final String[] versions = new String[MAX_MODELS];
    private final String[][] numericFeatures = new String[MAX_MODELS][];
    private final String[][] categoricalFeatures = new String[MAX_MODELS][];
    private final Map<String, Integer> byKey = new HashMap<>();
    private volatile int count;

    /**
     * @param name        model name.
     * @param version     version.
     * @param numeric     numeric feature names.
     * @param categorical categorical feature names.
     * @return the model id, or -1 when refused.
     */
    public synchronized int register(
        final String name, final String version, final String[] numeric, final String[] categorical)
    {
        if (name == null || name.isEmpty())
        {
            return -1;
        }
        final String key = name + "|" + version;
        final Integer existing = byKey.get(key);
        if (existing != null)
        {
            return existing;
        }
        final int id = count;
        if (id >= MAX_MODELS)
        {
            return -1;
        }
        names[id] = name;
        versions[id] = version == null ? "" : version;
        numericFeatures[id] = numeric == null ? new String[0] : numeric.clone();
        categoricalFeatures[id] = categorical == null ? new String[0] : categorical.clone();
        byKey.put(key, id);
        count = id + 1;
        return id;
    }

    /**
     * @param id a model id.
     * @return true when the id is published.
     */
    public boolean valid(final int id)
    {
        return id >= 0 && id < count;
    }

    public int count()
    {
        return count;
    }

    public String name(final int id)
    {
        return names[id];
    }

    public String version(final int id)
    {
        return versions[id];
    }

    public String[] numericFeatures(final int id)
    {
        return numericFeatures[id];
    }

    public String[] categoricalFeatures(final int id)
    {
        return categoricalFeatures[id];
    }
}
