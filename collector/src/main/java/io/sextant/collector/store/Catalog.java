package io.sextant.collector.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable snapshot of the series catalog: every series by id, and the inverted label index
 * (label name to value to sorted series ids; the metric name is indexed as label {@code __name__}).
 * Published by the store tailer; read by query threads without locks.
 */
public final class Catalog
{
    /** Label name under which the metric name is indexed. */
    public static final String NAME_LABEL = "__name__";

    static final Catalog EMPTY = new Catalog(new Series[0], Map.of());

    private final Series[] byId;
    private final Map<String, Map<String, int[]>> postings;

    private Catalog(final Series[] byId, final Map<String, Map<String, int[]>> postings)
    {
        this.byId = byId;
        this.postings = postings;
    }

    /**
     * Builds a snapshot from the writer's series list. Writer thread.
     */
    static Catalog build(final List<Series> series)
    {
        final Series[] byId = series.toArray(new Series[0]);
        final Map<String, Map<String, List<Integer>>> building = new HashMap<>();
        for (final Series s : byId)
        {
            if (s == null)
            {
                continue;
            }
            building.computeIfAbsent(NAME_LABEL, k -> new HashMap<>())
                .computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s.id());
            for (final Map.Entry<String, String> e : s.labels().entrySet())
            {
                building.computeIfAbsent(e.getKey(), k -> new HashMap<>())
                    .computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(s.id());
            }
        }
        final Map<String, Map<String, int[]>> postings = new TreeMap<>();
        for (final Map.Entry<String, Map<String, List<Integer>>> label : building.entrySet())
        {
            final Map<String, int[]> values = new TreeMap<>();
            for (final Map.Entry<String, List<Integer>> v : label.getValue().entrySet())
            {
                values.put(v.getKey(), v.getValue().stream().mapToInt(Integer::intValue).sorted().toArray());
            }
            postings.put(label.getKey(), Collections.unmodifiableMap(values));
        }
        return new Catalog(byId, Collections.unmodifiableMap(postings));
    }

    public int size()
    {
        return byId.length;
    }

    public Series byId(final int id)
    {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /**
     * @return label names, sorted (including {@code __name__}).
     */
    public List<String> labelNames()
    {
        return new ArrayList<>(postings.keySet());
    }

    /**
     * @return values of a label, sorted; empty when unknown.
     */
    public List<String> labelValues(final String label)
    {
        final Map<String, int[]> values = postings.get(label);
        return values == null ? List.of() : new ArrayList<>(values.keySet());
    }

    /**
     * @param matchers label matchers, all of which must hold.
     * @return matching series, by id.
     */
    public List<Series> select(final List<Matcher> matchers)
    {
        int[] candidate = null;
        for (final Matcher m : matchers)
        {
            if (m.op() == Matcher.Op.EQ && !m.value().isEmpty())
            {
                final Map<String, int[]> values = postings.get(m.label());
                final int[] ids = values == null ? null : values.get(m.value());
                if (ids == null)
                {
                    return List.of();
                }
                candidate = candidate == null ? ids : intersect(candidate, ids);
            }
        }
        final List<Series> out = new ArrayList<>();
        if (candidate == null)
        {
            for (final Series s : byId)
            {
                if (s != null && matchesAll(s, matchers))
                {
                    out.add(s);
                }
            }
        }
        else
        {
            for (final int id : candidate)
            {
                final Series s = byId[id];
                if (s != null && matchesAll(s, matchers))
                {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static boolean matchesAll(final Series s, final List<Matcher> matchers)
    {
        for (final Matcher m : matchers)
        {
            final String actual = NAME_LABEL.equals(m.label()) ? s.name() : s.labels().getOrDefault(m.label(), "");
            if (!m.matches(actual))
            {
                return false;
            }
        }
        return true;
    }

    static int[] intersect(final int[] a, final int[] b)
    {
        final int[] out = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length)
        {
            if (a[i] == b[j])
            {
                out[n++] = a[i];
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @return distinct metric names, sorted.
     */
    public List<String> names()
    {
        final Map<String, int[]> names = postings.get(NAME_LABEL);
        return names == null ? List.of() : new ArrayList<>(new TreeSet<>(names.keySet()));
    }
}
