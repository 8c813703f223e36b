package io.sextant.collector.store;

import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/**
 * A growable little-endian byte sink for checkpoint sections. One thread (the store tailer) writes it.
 */
public final class CheckpointOut
{
    private final ExpandableArrayBuffer buffer;
    private int position;

    public CheckpointOut(final int initialCapacity)
    {
        buffer = new ExpandableArrayBuffer(Math.max(64, initialCapacity));
    }

    public int position()
    {
        return position;
    }

    /** Writes an int at an earlier position (a length filled in afterwards). */
    public void putIntAt(final int at, final int value)
    {
        buffer.putInt(at, value, ByteOrder.LITTLE_ENDIAN);
    }

    public CheckpointOut putInt(final int value)
    {
        buffer.putInt(position, value, ByteOrder.LITTLE_ENDIAN);
        position += 4;
        return this;
    }

    public CheckpointOut putLong(final long value)
    {
        buffer.putLong(position, value, ByteOrder.LITTLE_ENDIAN);
        position += 8;
        return this;
    }

    public CheckpointOut putDouble(final double value)
    {
        return putLong(Double.doubleToRawLongBits(value));
    }

    public CheckpointOut putBoolean(final boolean value)
    {
        buffer.putByte(position++, value ? (byte)1 : (byte)0);
        return this;
    }

    /** A string as its UTF-8 length (int) and bytes; null is written as length -1. */
    public CheckpointOut putString(final String value)
    {
        if (value == null)
        {
            return putInt(-1);
        }
        position += buffer.putStringUtf8(position, value, ByteOrder.LITTLE_ENDIAN, Integer.MAX_VALUE);
        return this;
    }

    public CheckpointOut putBytes(final byte[] bytes)
    {
        putInt(bytes.length);
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    public CheckpointOut putLongs(final long[] words, final int count)
    {
        putInt(count);
        for (int i = 0; i < count; i++)
        {
            putLong(words[i]);
        }
        return this;
    }

    /** A string map as a count and key/value pairs. */
    public CheckpointOut putMap(final java.util.Map<String, String> map)
    {
        putInt(map.size());
        for (final java.util.Map.Entry<String, String> e : map.entrySet())
        {
            putString(e.getKey());
            putString(e.getValue());
        }
        return this;
    }

    /** Appends bytes as they are (no length). */
    public CheckpointOut putRawBytes(final byte[] bytes)
    {
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    /** Appends the bytes another stream has written. */
    public CheckpointOut putRaw(final CheckpointOut other)
    {
        buffer.putBytes(position, other.buffer, 0, other.position);
        position += other.position;
        return this;
    }

    /** @return a copy of the bytes written. */
    public byte[] toByteArray()
    {
        final byte[] out = new byte[position];
        buffer.getBytes(0, out);
        return out;
    }

    /** @return the backing array (valid up to {@link #position()}). */
    byte[] array()
    {
        return buffer.byteArray();
    }
}
