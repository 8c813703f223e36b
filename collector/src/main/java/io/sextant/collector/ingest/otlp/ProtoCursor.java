package io.sextant.collector.ingest.otlp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format over a byte array range: tags, varints, fixed
 * 64-bit values and length-delimited fields, with bounds checked so that a malformed body fails
 * with an {@link IOException} naming the problem instead of reading past its field. It allocates
 * nothing except the strings asked for.
 *
 * <p>Used by {@link MetricsFastPath} to walk OTLP metrics without building protobuf-java objects.
 */
final class ProtoCursor
{
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private byte[] bytes;
    private int position;
    private int limit;
    private int tag;
    private int tagStart;
    private int lastLength;

    ProtoCursor wrap(final byte[] bytes, final int offset, final int length)
    {
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
        return this;
    }

    byte[] bytes()
    {
        return bytes;
    }

    int position()
    {
        return position;
    }

    int limit()
    {
        return limit;
    }

    /**
     * Reads the next tag.
     *
     * @return false at the end of the range.
     */
    boolean next() throws IOException
    {
        if (position >= limit)
        {
            return false;
        }
        tagStart = position;
        final long t = varint();
        if (t <= 0 || t > Integer.MAX_VALUE || (t >>> 3) == 0)
        {
            throw new IOException("invalid field tag " + t + " at byte " + position);
        }
        tag = (int)t;
        return true;
    }

    /**
     * @return the offset at which the current field's tag starts.
     */
    int tagStart()
    {
        return tagStart;
    }

    /**
     * Moves past a length-delimited field.
     *
     * @return the offset of its bytes; {@link #lastLength()} is their length.
     */
    int skipLengthStart() throws IOException
    {
        lastLength = length();
        final int start = position;
        position += lastLength;
        return start;
    }

    /**
     * @return the length of the field last passed by {@link #skipLengthStart()}.
     */
    int lastLength()
    {
        return lastLength;
    }

    int field()
    {
        return tag >>> 3;
    }

    int wireType()
    {
        return tag & 7;
    }

    long varint() throws IOException
    {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= limit)
            {
                throw new IOException("truncated varint at byte " + position);
            }
            final byte b = bytes[position++];
            result |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                return result;
            }
        }
        throw new IOException("varint longer than 10 bytes at byte " + position);
    }

    long fixed64() throws IOException
    {
        if (limit - position < 8)
        {
            throw new IOException("truncated 64-bit field at byte " + position);
        }
        final byte[] b = bytes;
        final int p = position;
        position += 8;
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24 |
            (b[p + 4] & 0xFFL) << 32 | (b[p + 5] & 0xFFL) << 40 | (b[p + 6] & 0xFFL) << 48 | (b[p + 7] & 0xFFL) << 56;
    }

    /**
     * Reads the length of a length-delimited field and checks it fits.
     *
     * @return the length; the field's bytes start at {@link #position()}.
     */
    int length() throws IOException
    {
        final long n = varint();
        if (n < 0 || n > limit - position)
        {
            throw new IOException("length " + n + " at byte " + position + " runs past the end of its message");
        }
        return (int)n;
    }

    /**
     * Reads a length-delimited field's length and moves past its bytes.
     *
     * @return the offset of the field's bytes.
     */
    int skipLength() throws IOException
    {
        final int n = length();
        final int start = position;
        position += n;
        return start;
    }

    String string() throws IOException
    {
        final int n = length();
        final String s = new String(bytes, position, n, StandardCharsets.UTF_8);
        position += n;
        return s;
    }

    /**
     * Moves past the value of the current field, whatever its wire type.
     */
    void skip() throws IOException
    {
        switch (wireType())
        {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LEN -> skipLength();
            case FIXED32 -> advance(4);
            default -> throw new IOException("unsupported wire type " + wireType() + " for field " + field() +
                " at byte " + position);
        }
    }

    /**
     * Checks the current field has the expected wire type.
     */
    void expect(final int wireType, final String what) throws IOException
    {
        if (wireType() != wireType)
        {
            throw new IOException(what + " has wire type " + wireType() + ", expected " + wireType);
        }
    }

    private void advance(final int n) throws IOException
    {
        if (limit - position < n)
        {
            throw new IOException("truncated field at byte " + position);
        }
        position += n;
    }
}
