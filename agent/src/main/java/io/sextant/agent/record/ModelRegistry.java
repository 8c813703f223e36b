package io.sextant.agent.record;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
    /**
     * Most distinct predicted classes per model version that records carry as a code; the classes
     * after these are written out in full.
     */
    public static final int MAX_CLASS_CODES = 32;
    /** Longest class that gets a code (what a record would carry of it anyway). */
    static final int MAX_CLASS_CHARS = ApiEndpoints.MAX_CLASS_CHARS;

    private final String[] names = new String[MAX_MODELS];
    private final String[] versions = new String[MAX_MODELS];
    private final String[][] numericFeatures = new String[MAX_MODELS][];
    private final String[][] categoricalFeatures = new String[MAX_MODELS][];
    private final int[] numericCounts = new int[MAX_MODELS];
    private final int[] categoricalCounts = new int[MAX_MODELS];
    private final ClassCodes[] classCodes = new ClassCodes[MAX_MODELS];
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
        numericCounts[id] = numericFeatures[id].length;
        categoricalCounts[id] = categoricalFeatures[id].length;
        classCodes[id] = new ClassCodes();
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

    /**
     * @param id a published model id.
     * @return how many numeric features the model declared.
     */
    public int numericCount(final int id)
    {
        return numericCounts[id];
    }

    /**
     * @param id a published model id.
     * @return how many categorical features the model declared.
     */
    public int categoricalCount(final int id)
    {
        return categoricalCounts[id];
    }

    /**
     * The code of a predicted class, so that a record carries a small number instead of the class's
     * characters. Application threads, lock-free except the first time a class is seen: the same
     * String instance (a constant, or an element of the application's own label array) is found by
     * identity; an equal one by {@code equals}.
     *
     * @param id             a published model id.
     * @param predictedClass the class, may be null.
     * @return its code, from 0, or -1 when it has none (null, too long, or the model's table is full).
     */
    public int classCode(final int id, final String predictedClass)
    {
        if (predictedClass == null || predictedClass.length() > MAX_CLASS_CHARS)
        {
            return -1;
        }
        final ClassCodes codes = classCodes[id];
        final int n = codes.count;
        for (int i = 0; i < n; i++)
        {
            if (codes.table.get(i) == predictedClass)
            {
                return i;
            }
        }
        for (int i = 0; i < n; i++)
        {
            final String known = codes.table.get(i);
            if (known != null && known.equals(predictedClass))
            {
                return i;
            }
        }
        return n < MAX_CLASS_CODES ? codes.add(predictedClass) : -1;
    }

    /**
     * @param id   a published model id.
     * @param code a code {@link #classCode} gave.
     * @return the class, or null when the code is unknown.
     */
    public String className(final int id, final int code)
    {
        return code >= 0 && code < MAX_CLASS_CODES ? classCodes[id].table.get(code) : null;
    }

    /** One model version's class codes: entries are set once, then the count published. */
    private static final class ClassCodes
    {
        final AtomicReferenceArray<String> table = new AtomicReferenceArray<>(MAX_CLASS_CODES);
        volatile int count;

        synchronized int add(final String predictedClass)
        {
            final int n = count;
            for (int i = 0; i < n; i++)
            {
                if (table.get(i).equals(predictedClass))
                {
                    return i;
                }
            }
            if (n == MAX_CLASS_CODES)
            {
                return -1;
            }
            table.set(n, predictedClass);
            count = n + 1;
            return n;
        }
    }
}
