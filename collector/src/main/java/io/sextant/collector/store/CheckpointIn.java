package io.sextant.collector.store;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what a {@link CheckpointOut} wrote. Every read checks bounds: a damaged section throws
 * {@link IllegalStateException} (the caller then ignores the whole checkpoint).
 */
public final class CheckpointIn
{
    private final UnsafeBuffer buffer;
    private final int limit;
    private int position;

    public CheckpointIn(final byte[] bytes, final int offset, final int length)
    {
        buffer = new UnsafeBuffer(bytes, offset, length);
        limit = length;
    }

    private void need(final int n)
    {
        if (n < 0 || position + n > limit)
        {
            throw new IllegalStateException("checkpoint section truncated at byte " + position + " (needs " + n +
                " of " + (limit - position) + ")");
        }
    }

    public int remaining()
    {
        return limit - position;
    }

    public int getInt()
    {
        need(4);
        final int v = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
        position += 4;
        return v;
    }

    /** An int that counts elements: negative or absurd counts mean a damaged section. */
    public int getCount(final int minBytesEach)
    {
        final int n = getInt();
        if (n < 0 || (long)n * Math.max(1, minBytesEach) > remaining())
        {
            throw new IllegalStateException("checkpoint section has a bad count " + n + " at byte " + (position - 4));
        }
        return n;
    }

    public long getLong()
    {
        need(8);
        final long v = buffer.getLong(position, ByteOrder.LITTLE_ENDIAN);
        position += 8;
        return v;
    }

    public double getDouble()
    {
        return Double.longBitsToDouble(getLong());
    }

    public boolean getBoolean()
    {
        need(1);
        return buffer.getByte(position++) != 0;
    }

    public String getString()
    {
        final int n = getInt();
        if (n == -1)
        {
            return null;
        }
        need(n);
        final String s = buffer.getStringWithoutLengthUtf8(position, n);
        position += n;
        return s;
    }

    public byte[] getBytes()
    {
        final int n = getCount(1);
        final byte[] out = new byte[n];
        buffer.getBytes(position, out);
        position += n;
        return out;
    }

    public long[] getLongs()
    {
        final int n = getCount(8);
        final long[] out = new long[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = getLong();
        }
        return out;
    }

    public Map<String, String> getMap()
    {
        final int n = getCount(8);
        final Map<String, String> out = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++)
        {
            out.put(getString(), getString());
        }
        return out;
    }
}
