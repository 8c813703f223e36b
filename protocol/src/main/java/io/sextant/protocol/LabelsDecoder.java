package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes a LABELS payload one record at a time (see {@link LabelsEncoder} for the layout).
 * Allocates nothing.
 *
 * <p>Not thread-safe.
 */
public final class LabelsDecoder
{
    private final WireReader reader = new WireReader();
    private final BufferSlice model = new BufferSlice();
    private final BufferSlice predictionId = new BufferSlice();
    private final BufferSlice labelClass = new BufferSlice();
    private long baseTimeNanos;
    private int count;
    private int index;
    private long timeNanos;
    private PredictionKind kind;
    private double labelNumber;

    public LabelsDecoder wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        reader.wrap(buffer, offset, limit);
        baseTimeNanos = reader.getLong("baseTimeNanos");
        count = RecordBatch.readCount(reader);
        index = 0;
        return this;
    }

    public int count()
    {
        return count;
    }

    /**
     * @return the buffer offset just past the record {@link #next()} last decoded (before the first call, where
     *         the records begin), so that a sender can cut a batch into smaller frames at record boundaries.
     */
    public int recordEnd()
    {
        return reader.position();
    }

    public boolean next()
    {
        if (index >= count)
        {
            return false;
        }
        index++;
        timeNanos = baseTimeNanos + reader.getZigZag("timeDelta");
        reader.getSlice("model", model);
        reader.getSlice("predictionId", predictionId);
        final int kindCode = reader.getUByte("kind");
        kind = PredictionKind.of(kindCode);
        labelClass.wrap(reader.buffer(), 0, 0);
        labelNumber = Double.NaN;
        if (kind == PredictionKind.CLASS)
        {
            reader.getSlice("labelClass", labelClass);
        }
        else if (kind == PredictionKind.NUMBER)
        {
            labelNumber = reader.getDouble("labelNumber");
        }
        else
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "label " + index + " has invalid kind " + kindCode);
        }
        return true;
    }

    public long timeNanos()
    {
        return timeNanos;
    }

    public BufferSlice model()
    {
        return model;
    }

    public BufferSlice predictionId()
    {
        return predictionId;
    }

    public PredictionKind kind()
    {
        return kind;
    }

    public BufferSlice labelClass()
    {
        return labelClass;
    }

    public double labelNumber()
    {
        return labelNumber;
    }
}
