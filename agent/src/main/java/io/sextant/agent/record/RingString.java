package io.sextant.agent.record;

import org.agrona.DirectBuffer;

/**
 * A reusable {@link CharSequence} view of a string stored in the ring buffer by
 * {@link RecordRing#putString}, so the sender can hand it to the protocol encoders without
 * allocating. Valid until the ring record is consumed. Owned by the sender thread.
 */
public final class RingString implements CharSequence
{
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @param buffer ring buffer.
     * @param index  where the string starts.
     * @return the index after the string.
     */
    public int wrap(final DirectBuffer buffer, final int index)
    {
        this.buffer = buffer;
        this.length = buffer.getInt(index);
        this.offset = index + 4;
        return offset + 2 * length;
    }

    @Override
    public int length()
    {
        return length;
    }

    @Override
    public char charAt(final int index)
    {
        return buffer.getChar(offset + 2 * index);
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return toString().substring(start, end);
    }

    @Override
    public String toString()
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = charAt(i);
        }
        return new String(chars);
    }
}
