package io.sextant.agent.ship;

import io.sextant.protocol.SeriesKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's series dictionary: ids are assigned once and stay stable for the agent's lifetime;
 * every connection gets all of them in DEFINE frames before any frame that uses them.
 *
 * <p>Owned by the sender thread.
 */
public final class SeriesTable
{
    /**
     * @param id     wire series id.
     * @param kind   kind.
     * @param name   metric name.
     * @param unit   unit.
     * @param keys   label keys.
     * @param values label values.
     */
    public record Series(int id, SeriesKind kind, String name, String unit, String[] keys, String[] values)
    {
    }

    private final List<Series> series = new ArrayList<>();

    /**
     * @param kind   kind.
     * @param name   name.
     * @param unit   unit.
     * @param labels key, value, key, value...
     * @return the new id.
     */
    public int define(final SeriesKind kind, final String name, final String unit, final String... labels)
    {
        final int id = series.size();
        final String[] keys = new String[labels.length / 2];
        final String[] values = new String[labels.length / 2];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = labels[2 * i];
            values[i] = labels[2 * i + 1];
        }
        series.add(new Series(id, kind, name, unit == null ? "" : unit, keys, values));
        return id;
    }

    public int size()
    {
        return series.size();
    }

    public Series get(final int id)
    {
        return series.get(id);
    }
}
