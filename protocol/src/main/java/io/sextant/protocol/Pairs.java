package io.sextant.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Key/value lists on the wire: a varint count, then per entry a string key and either a string
 * or a float64 value. Used for labels, attributes, parameters and features.
 */
public final class Pairs
{
    private Pairs()
    {
    }

    /**
     * @param writer destination.
     * @param keys   keys; the first count are written.
     * @param values string values, parallel to keys.
     * @param count  number of entries.
     */
    public static void putText(
        final WireWriter writer, final CharSequence[] keys, final CharSequence[] values, final int count)
    {
        checkCount(count);
        writer.putVarLong(count);
        for (int i = 0; i < count; i++)
        {
            writer.putString(keys[i]).putString(values[i]);
        }
    }

    /**
     * @param writer destination.
     * @param keys   keys; the first count are written.
     * @param values numeric values, parallel to keys.
     * @param count  number of entries.
     */
    public static void putNumbers(
        final WireWriter writer, final CharSequence[] keys, final double[] values, final int count)
    {
        checkCount(count);
        writer.putVarLong(count);
        for (int i = 0; i < count; i++)
        {
            writer.putString(keys[i]).putDouble(values[i]);
        }
    }

    /**
     * @param writer destination.
     * @param pairs  entries in iteration order; null is written as empty.
     */
    public static void putText(final WireWriter writer, final Map<String, String> pairs)
    {
        final int count = pairs == null ? 0 : pairs.size();
        checkCount(count);
        writer.putVarLong(count);
        if (pairs != null)
        {
            for (final Map.Entry<String, String> e : pairs.entrySet())
            {
                writer.putString(e.getKey()).putString(e.getValue());
            }
        }
    }

    /**
     * @param writer destination.
     * @param pairs  entries in iteration order; null is written as empty.
     */
    public static void putNumbers(final WireWriter writer, final Map<String, Double> pairs)
    {
        final int count = pairs == null ? 0 : pairs.size();
        checkCount(count);
        writer.putVarLong(count);
        if (pairs != null)
        {
            for (final Map.Entry<String, Double> e : pairs.entrySet())
            {
                writer.putString(e.getKey()).putDouble(e.getValue());
            }
        }
    }

    /**
     * @param reader source.
     * @param field  name for error messages.
     * @return the entries, in wire order; allocates.
     */
    public static Map<String, String> getText(final WireReader reader, final String field)
    {
        final int count = reader.getVarInt(field, Limits.MAX_PAIRS);
        final Map<String, String> map = new LinkedHashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++)
        {
            final String key = reader.getString(field);
            map.put(key, reader.getString(field));
        }
        return map;
    }

    /**
     * @param reader source.
     * @param field  name for error messages.
     * @return the entries, in wire order; allocates.
     */
    public static Map<String, Double> getNumbers(final WireReader reader, final String field)
    {
        final int count = reader.getVarInt(field, Limits.MAX_PAIRS);
        final Map<String, Double> map = new LinkedHashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++)
        {
            final String key = reader.getString(field);
            map.put(key, reader.getDouble(field));
        }
        return map;
    }

    /**
     * Validates and skips a list without decoding it.
     *
     * @param reader  source, positioned at the count.
     * @param field   name for error messages.
     * @param numeric true for float64 values, false for strings.
     * @return the number of entries.
     */
    public static int skip(final WireReader reader, final String field, final boolean numeric)
    {
        final int count = reader.getVarInt(field, Limits.MAX_PAIRS);
        for (int i = 0; i < count; i++)
        {
            reader.skipSlice(field);
            if (numeric)
            {
                reader.getDouble(field);
            }
            else
            {
                reader.skipSlice(field);
            }
        }
        return count;
    }

    static void checkCount(final int count)
    {
        if (count < 0 || count > Limits.MAX_PAIRS)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
                count + " key/value pairs exceed the limit of " + Limits.MAX_PAIRS);
        }
    }
}
