package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes a DEFINE payload one entry at a time, validating as it goes. Allocates nothing.
 *
 * <p>Not thread-safe.
 */
public final class DefineDecoder
{
    private final WireReader reader = new WireReader();
    private final BufferSlice name = new BufferSlice();
    private final BufferSlice unit = new BufferSlice();
    private final PairCursor labels = new PairCursor();
    private int count;
    private int index;
    private int seriesId;
    private SeriesKind kind;
    private int labelsOffset;
    private int labelsLimit;

    /**
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param limit  end of the payload.
     * @return this.
     */
    public DefineDecoder wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        reader.wrap(buffer, offset, limit);
        count = RecordBatch.readCount(reader);
        index = 0;
        return this;
    }

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
        seriesId = reader.getVarInt("seriesId", Limits.MAX_SERIES_ID);
        final int kindCode = reader.getUByte("kind");
        kind = SeriesKind.of(kindCode);
        if (kind == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "unknown series kind " + kindCode);
        }
        reader.getSlice("name", name);
        reader.getSlice("unit", unit);
        labelsOffset = reader.position();
        Pairs.skip(reader, "labels", false);
        labelsLimit = reader.position();
        return true;
    }

    public int seriesId()
    {
        return seriesId;
    }

    public SeriesKind kind()
    {
        return kind;
    }

    public BufferSlice name()
    {
        return name;
    }

    public BufferSlice unit()
    {
        return unit;
    }

    /**
     * @return a cursor over the current entry's labels.
     */
    public PairCursor labels()
    {
        return labels.reset(reader.buffer(), labelsOffset, labelsLimit, false);
    }
}
