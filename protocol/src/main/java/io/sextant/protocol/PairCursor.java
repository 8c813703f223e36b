package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Walks a key/value list that a decoder has already validated, without allocating. Valid until
 * the owning decoder moves to another record.
 */
public final class PairCursor
{
    private final WireReader reader = new WireReader();
    private final BufferSlice key = new BufferSlice();
    private final BufferSlice text = new BufferSlice();
    private boolean numeric;
    private int count;
    private int index;
    private double number;

    PairCursor reset(final DirectBuffer buffer, final int offset, final int limit, final boolean numeric)
    {
        reader.wrap(buffer, offset, limit);
        this.numeric = numeric;
        this.count = reader.getVarInt("pairs", Limits.MAX_PAIRS);
        this.index = 0;
        return this;
    }

    /**
     * @return the number of entries.
     */
    public int count()
    {
        return count;
    }

    /**
     * @return true when positioned on a further entry.
     */
    public boolean next()
    {
        if (index >= count)
        {
            return false;
        }
        index++;
        reader.getSlice("key", key);
        if (numeric)
        {
            number = reader.getDouble("value");
        }
        else
        {
            reader.getSlice("value", text);
        }
        return true;
    }

    public BufferSlice key()
    {
        return key;
    }

    /**
     * @return the string value of the current entry (lists with string values).
     */
    public BufferSlice text()
    {
        return text;
    }

    /**
     * @return the numeric value of the current entry (lists with float64 values).
     */
    public double number()
    {
        return number;
    }
}
