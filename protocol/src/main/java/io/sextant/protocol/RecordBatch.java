package io.sextant.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sextant.protocol.Frame.BYTE_ORDER;

/**
 * Shared mechanics of the batch encoders: a base timestamp, a uint16 record count patched on
 * {@link #finish()}, and size checks that make an append either fit entirely or leave the
 * payload untouched, without exceptions on the hot path.
 */
abstract class RecordBatch
{
    WireWriter writer;
    int countOffset;
    int count;
    long baseTime;

    final void begin(final WireWriter writer, final long baseTime)
    {
        this.writer = writer;
        this.baseTime = baseTime;
        writer.putLong(baseTime);
        countOffset = writer.position();
        writer.putShort(0);
        count = 0;
    }

    /**
     * @return records appended so far.
     */
    public final int count()
    {
        return count;
    }

    /**
     * Writes the record count. Call once, after the last append.
     */
    public final void finish()
    {
        final MutableDirectBuffer buffer = writer.buffer();
        buffer.putShort(countOffset, (short)count, BYTE_ORDER);
    }

    final boolean hasRoom(final int upperBound)
    {
        return count < Limits.MAX_RECORDS && writer.remaining() >= upperBound;
    }

    /** Upper bound of a string's encoded size: 3 UTF-8 bytes per UTF-16 unit plus a 3-byte length. */
    static int bound(final CharSequence value)
    {
        return value == null ? 1 : value.length() * 3 + 3;
    }

    static int bound(final CharSequence[] keys, final CharSequence[] values, final int count)
    {
        int bytes = 2;
        for (int i = 0; i < count; i++)
        {
            bytes += bound(keys[i]) + bound(values[i]);
        }
        return bytes;
    }

    static int bound(final CharSequence[] keys, final int count)
    {
        int bytes = 2;
        for (int i = 0; i < count; i++)
        {
            bytes += bound(keys[i]) + 8;
        }
        return bytes;
    }

    static int readCount(final WireReader reader)
    {
        return reader.getUShort("recordCount");
    }
}
