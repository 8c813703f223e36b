package io.sextant.protocol;

import org.agrona.DirectBuffer;

import static io.sextant.protocol.Frame.BYTE_ORDER;

/**
 * Reads the primitives that {@link WireWriter} writes, checking every read against the end of
 * the region. Any overrun, over-long varint or over-limit length throws {@link ProtocolException}
 * naming the field, so no decoder built on it can fail with an index or arithmetic exception.
 *
 * <p>Not thread-safe: owned by the thread that decodes.
 */
public final class WireReader
{
    /** The longest varint: 64 bits in groups of 7. */
    static final int MAX_VARLONG_LENGTH = 10;

    private DirectBuffer buffer;
    private int position;
    private int limit;

    /**
     * @param buffer to read.
     * @param offset first byte to read.
     * @param limit  first byte past the region.
     * @return this.
     */
    public WireReader wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    /**
     * Moves the read position past bytes that a decoder has read straight from {@link #buffer()}.
     *
     * @param position new position, at most the limit.
     */
    void position(final int position)
    {
        this.position = position;
    }

    public int limit()
    {
        return limit;
    }

    public int remaining()
    {
        return limit - position;
    }

    private void need(final int bytes, final String field)
    {
        if (limit - position < bytes)
        {
            throw truncated(field, bytes);
        }
    }

    private ProtocolException truncated(final String field, final int bytes)
    {
        return new ProtocolException(ErrorCode.MALFORMED,
            "truncated field '" + field + "': needs " + bytes + " bytes at offset " + position + ", " +
            Math.max(0, limit - position) + " left");
    }

    public int getUByte(final String field)
    {
        need(1, field);
        return buffer.getByte(position++) & 0xFF;
    }

    public int getUShort(final String field)
    {
        need(2, field);
        final int value = buffer.getShort(position, BYTE_ORDER) & 0xFFFF;
        position += 2;
        return value;
    }

    public int getInt(final String field)
    {
        need(4, field);
        final int value = buffer.getInt(position, BYTE_ORDER);
        position += 4;
        return value;
    }

    public long getLong(final String field)
    {
        need(8, field);
        final long value = buffer.getLong(position, BYTE_ORDER);
        position += 8;
        return value;
    }

    public float getFloat(final String field)
    {
        need(4, field);
        final float value = buffer.getFloat(position, BYTE_ORDER);
        position += 4;
        return value;
    }

    public double getDouble(final String field)
    {
        need(8, field);
        final double value = buffer.getDouble(position, BYTE_ORDER);
        position += 8;
        return value;
    }

    /**
     * @param field name for error messages.
     * @return an unsigned LEB128 varint of at most 10 bytes.
     */
    public long getVarLong(final String field)
    {
        final int start = position;
        if (start < limit)
        {
            final byte first = buffer.getByte(start);
            if (first >= 0)
            {
                position = start + 1;
                return first;
            }
            if (limit - start >= MAX_VARLONG_LENGTH)
            {
                return getLongVarLong(field, start);
            }
        }
        return getVarLongNearLimit(field);
    }

    /** At least 10 bytes remain, so no byte of the varint can be past the limit. */
    private long getLongVarLong(final String field, final int start)
    {
        final long word = buffer.getLong(start, BYTE_ORDER);
        final long stops = ~word & 0x8080808080808080L;
        if (stops != 0)
        {
            // Up to 8 bytes: find the last byte, then gather the 7-bit groups without a loop.
            final int bits = Long.numberOfTrailingZeros(stops) + 1;
            final long groups = bits == 64 ? word : word & ((1L << bits) - 1);
            position = start + (bits >> 3);
            return (groups & 0x7FL) |
                ((groups >>> 1) & (0x7FL << 7)) |
                ((groups >>> 2) & (0x7FL << 14)) |
                ((groups >>> 3) & (0x7FL << 21)) |
                ((groups >>> 4) & (0x7FL << 28)) |
                ((groups >>> 5) & (0x7FL << 35)) |
                ((groups >>> 6) & (0x7FL << 42)) |
                ((groups >>> 7) & (0x7FL << 49));
        }
        return getNineOrTenByteVarLong(field, start);
    }

    private long getNineOrTenByteVarLong(final String field, final int start)
    {
        final DirectBuffer buffer = this.buffer;
        long result = 0;
        int shift = 0;
        int p = start;
        byte b;
        do
        {
            b = buffer.getByte(p++);
            if (shift == 63 && (b & 0xFE) != 0)
            {
                throw overflow(field, start);
            }
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while (b < 0);
        position = p;
        return result;
    }

    private long getVarLongNearLimit(final String field)
    {
        long result = 0;
        int shift = 0;
        final int start = position;
        while (true)
        {
            if (position >= limit)
            {
                final int needed = position - start + 1;
                position = start;
                throw truncated(field, needed);
            }
            final byte b = buffer.getByte(position++);
            if (shift == 63 && (b & 0xFE) != 0)
            {
                throw overflow(field, start);
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
            shift += 7;
        }
    }

    private static ProtocolException overflow(final String field, final int start)
    {
        return new ProtocolException(ErrorCode.MALFORMED,
            "varint field '" + field + "' at offset " + start + " overflows 64 bits");
    }

    /**
     * @param field name for error messages.
     * @param max   largest allowed value.
     * @return a varint in [0, max].
     */
    public int getVarInt(final String field, final int max)
    {
        final int start = position;
        final long value = getVarLong(field);
        if (value < 0 || value > max)
        {
            throw overLimit(field, start, value, max);
        }
        return (int)value;
    }

    private static ProtocolException overLimit(final String field, final int start, final long value, final int max)
    {
        return new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
            "field '" + field + "' at offset " + start + " is " + Long.toUnsignedString(value) +
            ", the limit is " + max);
    }

    /**
     * @param field name for error messages.
     * @return a zig-zag varint decoded back to a signed long.
     */
    public long getZigZag(final String field)
    {
        final long v = getVarLong(field);
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * Reads a length-prefixed string or byte array into a view without copying.
     *
     * @param field name for error messages.
     * @param into  the view to point at the bytes.
     * @return into.
     */
    public BufferSlice getSlice(final String field, final BufferSlice into)
    {
        final int length = getVarInt(field, Limits.MAX_FIELD_LENGTH);
        need(length, field);
        into.wrap(buffer, position, length);
        position += length;
        return into;
    }

    /**
     * Skips a length-prefixed string or byte array.
     *
     * @param field name for error messages.
     */
    public void skipSlice(final String field)
    {
        final int length = getVarInt(field, Limits.MAX_FIELD_LENGTH);
        need(length, field);
        position += length;
    }

    /**
     * @param field name for error messages.
     * @return a length-prefixed string, decoded; allocates.
     */
    public String getString(final String field)
    {
        final int length = getVarInt(field, Limits.MAX_FIELD_LENGTH);
        need(length, field);
        final String value = buffer.getStringWithoutLengthUtf8(position, length);
        position += length;
        return value;
    }
}
