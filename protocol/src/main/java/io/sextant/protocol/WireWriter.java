package io.sextant.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sextant.protocol.Frame.BYTE_ORDER;

/**
 * Appends protocol primitives (fixed-width little-endian numbers, varints, zig-zag varints,
 * UTF-8 strings and byte arrays, each with a varint length) to a buffer region. Allocates
 * nothing. A write may use the bytes just past the new position, up to the limit, as scratch
 * (varints are stored 8 bytes at a time); bytes past the limit are never touched. When a write would pass the limit it throws {@link ProtocolException} with
 * {@link ErrorCode#LIMIT_EXCEEDED} and writes nothing; callers size frames so that this does not
 * happen in normal operation.
 *
 * <p>Not thread-safe: owned by the thread that encodes.
 */
public final class WireWriter
{
    /** Strings of up to this many UTF-16 units encode to at most 126 bytes: a one-byte length. */
    private static final int SHORT_STRING_CHARS = 42;

    private MutableDirectBuffer buffer;
    private int position;
    private int limit;

    /**
     * @param buffer to write into.
     * @param offset first byte to write.
     * @param limit  first byte not to write.
     * @return this.
     */
    public WireWriter wrap(final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = Math.min(limit, buffer.capacity());
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    /**
     * Moves the write position, for example to drop a record that was only partly written.
     *
     * @param position new position, at most the limit.
     */
    public void position(final int position)
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

    private void ensure(final int bytes)
    {
        if (limit - position < bytes)
        {
            throw frameFull(bytes);
        }
    }

    private ProtocolException frameFull(final int bytes)
    {
        return new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
            "frame full: need " + bytes + " bytes, " + (limit - position) + " left");
    }

    public WireWriter putByte(final int value)
    {
        ensure(1);
        buffer.putByte(position++, (byte)value);
        return this;
    }

    public WireWriter putShort(final int value)
    {
        ensure(2);
        buffer.putShort(position, (short)value, BYTE_ORDER);
        position += 2;
        return this;
    }

    public WireWriter putInt(final int value)
    {
        ensure(4);
        buffer.putInt(position, value, BYTE_ORDER);
        position += 4;
        return this;
    }

    public WireWriter putLong(final long value)
    {
        ensure(8);
        buffer.putLong(position, value, BYTE_ORDER);
        position += 8;
        return this;
    }

    public WireWriter putFloat(final float value)
    {
        ensure(4);
        buffer.putFloat(position, value, BYTE_ORDER);
        position += 4;
        return this;
    }

    public WireWriter putDouble(final double value)
    {
        ensure(8);
        buffer.putDouble(position, value, BYTE_ORDER);
        position += 8;
        return this;
    }

    /**
     * @param value written as an unsigned LEB128 varint: 7 bits a byte, low bits first, high bit
     *              set on every byte but the last; 1 to 10 bytes.
     * @return this.
     */
    public WireWriter putVarLong(final long value)
    {
        if ((value & ~0x7FL) == 0)
        {
            ensure(1);
            buffer.putByte(position++, (byte)value);
            return this;
        }
        final int length = varLongLength(value);
        if (length <= 8 && limit - position >= 8)
        {
            // All groups at once: one 8-byte store instead of a store per byte. The bytes past the
            // varint are scratch within the limit, overwritten by whatever is written next.
            buffer.putLong(position, varLongBytes(value, length), BYTE_ORDER);
            position += length;
            return this;
        }
        ensure(length);
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            buffer.putByte(position++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(position++, (byte)v);
        return this;
    }

    /**
     * @param value  a value below 2^56.
     * @param length its {@link #varLongLength}, at most 8.
     * @return the varint's bytes, little-endian in a long (first byte lowest).
     */
    static long varLongBytes(final long value, final int length)
    {
        return spreadGroups(value) | (0x8080808080808080L & ((1L << ((length - 1) << 3)) - 1));
    }

    /** Moves the 7-bit groups of the low 56 bits of value into the low 7 bits of successive bytes. */
    private static long spreadGroups(final long value)
    {
        return (value & 0x7FL) |
            ((value & (0x7FL << 7)) << 1) |
            ((value & (0x7FL << 14)) << 2) |
            ((value & (0x7FL << 21)) << 3) |
            ((value & (0x7FL << 28)) << 4) |
            ((value & (0x7FL << 35)) << 5) |
            ((value & (0x7FL << 42)) << 6) |
            ((value & (0x7FL << 49)) << 7);
    }

    /**
     * @param value written zig-zag encoded ({@code (v << 1) ^ (v >> 63)}) as a varint, so that small
     *              negative numbers stay short.
     * @return this.
     */
    public WireWriter putZigZag(final long value)
    {
        return putVarLong((value << 1) ^ (value >> 63));
    }

    /**
     * @param value written as a varint byte length and the UTF-8 bytes; {@code null} is written
     *              as the empty string.
     * @return this.
     */
    public WireWriter putString(final CharSequence value)
    {
        if (value == null)
        {
            return putByte(0);
        }
        final int chars = value.length();
        if (chars <= SHORT_STRING_CHARS && limit - position > 3 * chars)
        {
            // One pass: at most 3 bytes a UTF-16 unit, so the length fits the one byte reserved for it.
            final int length = Utf8.encode(value, buffer, position + 1);
            buffer.putByte(position, (byte)length);
            position += 1 + length;
            return this;
        }
        final int length = Utf8.encodedLength(value);
        if (length > Limits.MAX_FIELD_LENGTH)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
                "string of " + length + " bytes exceeds the field limit of " + Limits.MAX_FIELD_LENGTH);
        }
        ensure(varLongLength(length) + length);
        putVarLong(length);
        position += Utf8.encode(value, buffer, position);
        return this;
    }

    /**
     * Writes a string cut to at most maxBytes of UTF-8 (on a character boundary), for free-text
     * fields such as log messages where a bound matters more than completeness.
     *
     * @param value    the string, or null for empty.
     * @param maxBytes the most bytes to write.
     * @return this.
     */
    public WireWriter putStringTruncated(final CharSequence value, final int maxBytes)
    {
        if (value == null)
        {
            return putByte(0);
        }
        final int cap = Math.min(maxBytes, Limits.MAX_FIELD_LENGTH);
        if (Utf8.encodedLength(value) <= cap)
        {
            return putString(value);
        }
        int chars = Math.min(value.length(), cap);
        while (chars > 0 && Utf8.encodedLength(value.subSequence(0, chars)) > cap)
        {
            chars = chars * 3 / 4;
        }
        if (chars > 0 && Character.isHighSurrogate(value.charAt(chars - 1)))
        {
            chars--;
        }
        return putString(value.subSequence(0, chars));
    }

    /**
     * @param src    source bytes, written as a varint length and the bytes.
     * @param offset of the first source byte.
     * @param length number of bytes.
     * @return this.
     */
    public WireWriter putBytes(final DirectBuffer src, final int offset, final int length)
    {
        checkFieldLength(length);
        ensure(varLongLength(length) + length);
        putVarLong(length);
        buffer.putBytes(position, src, offset, length);
        position += length;
        return this;
    }

    /**
     * @param src bytes written as a varint length and the bytes; {@code null} is written as empty.
     * @return this.
     */
    public WireWriter putBytes(final byte[] src)
    {
        if (src == null)
        {
            return putByte(0);
        }
        checkFieldLength(src.length);
        ensure(varLongLength(src.length) + src.length);
        putVarLong(src.length);
        buffer.putBytes(position, src);
        position += src.length;
        return this;
    }

    private static void checkFieldLength(final int length)
    {
        if (length < 0 || length > Limits.MAX_FIELD_LENGTH)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
                "byte array of " + length + " bytes exceeds the field limit of " + Limits.MAX_FIELD_LENGTH);
        }
    }

    /**
     * @param value a value.
     * @return how many bytes {@link #putVarLong(long)} writes for it.
     */
    public static int varLongLength(final long value)
    {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }
}
