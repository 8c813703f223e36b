package io.sextant.protocol;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A view of a string or byte-array field inside a decoded frame. Decoders reuse one slice per
 * field, so a slice is valid only until its decoder moves on; call {@link #toString()} or
 * {@link #getBytes(byte[], int)} to keep the contents.
 */
public final class BufferSlice implements CharSequence
{
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Points the view at a region.
     *
     * @param buffer the buffer.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return this.
     */
    public BufferSlice wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /**
     * @return length in bytes (not characters).
     */
    public int byteLength()
    {
        return length;
    }

    public boolean isEmpty()
    {
        return length == 0;
    }

    /**
     * @param index within the slice.
     * @return the byte at index.
     */
    public byte byteAt(final int index)
    {
        return buffer.getByte(offset + index);
    }

    /**
     * Copies the bytes out.
     *
     * @param dst       destination.
     * @param dstOffset where to start writing.
     * @return the number of bytes copied.
     */
    public int getBytes(final byte[] dst, final int dstOffset)
    {
        buffer.getBytes(offset, dst, dstOffset, length);
        return length;
    }

    /**
     * @return a copy of the bytes.
     */
    public byte[] toByteArray()
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes, 0, length);
        return bytes;
    }

    /**
     * Compares the UTF-8 contents with a string without allocating.
     *
     * @param value to compare with; ASCII and non-ASCII both work.
     * @return true when the slice holds exactly the UTF-8 encoding of value.
     */
    public boolean contentEquals(final CharSequence value)
    {
        if (Utf8.encodedLength(value) != length)
        {
            return false;
        }
        int position = offset;
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                if (buffer.getByte(position++) != (byte)c)
                {
                    return false;
                }
            }
            else
            {
                return toString().contentEquals(value);
            }
        }
        return true;
    }

    /**
     * A hash of the bytes (FNV-1a, 64 bits) that callers can use to intern names without
     * allocating.
     *
     * @return the hash.
     */
    public long hash64()
    {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++)
        {
            hash ^= buffer.getByte(offset + i) & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    @Override
    public int length()
    {
        return toString().length();
    }

    @Override
    public char charAt(final int index)
    {
        return toString().charAt(index);
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return toString().subSequence(start, end);
    }

    /**
     * @return the contents decoded as UTF-8 (malformed sequences become U+FFFD); allocates.
     */
    @Override
    public String toString()
    {
        if (length == 0)
        {
            return "";
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
