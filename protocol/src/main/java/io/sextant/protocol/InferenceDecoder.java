package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes an INFERENCE payload one record at a time (see {@link InferenceEncoder} for the
 * layout), validating as it goes. Allocates nothing.
 *
 * <p>Not thread-safe.
 */
public final class InferenceDecoder
{
    private final WireReader reader = new WireReader();
    private final BufferSlice model = new BufferSlice();
    private final BufferSlice version = new BufferSlice();
    private final BufferSlice predictedClass = new BufferSlice();
    private final BufferSlice predictionId = new BufferSlice();
    private final PairCursor numeric = new PairCursor();
    private final PairCursor categorical = new PairCursor();
    private long baseTimeNanos;
    private int count;
    private int index;
    private long timeNanos;
    private long latencyNanos;
    private Outcome outcome;
    private PredictionKind kind;
    private double predictedNumber;
    private double score;
    private int numericOffset;
    private int categoricalOffset;
    private int categoricalLimit;

    public InferenceDecoder wrap(final DirectBuffer buffer, final int offset, final int limit)
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

    /**
     * @return true when positioned on a further record.
     */
    public boolean next()
    {
        if (index >= count)
        {
            return false;
        }
        index++;
        timeNanos = baseTimeNanos + reader.getZigZag("timeDelta");
        reader.getSlice("model", model);
        reader.getSlice("version", version);
        latencyNanos = reader.getVarLong("latencyNanos");
        if (latencyNanos < 0)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "inference " + index + " has negative latency");
        }
        final int outcomeCode = reader.getUByte("outcome");
        outcome = Outcome.of(outcomeCode);
        if (outcome == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "inference " + index + " has unknown outcome " + outcomeCode);
        }
        final int kindCode = reader.getUByte("predictionKind");
        kind = PredictionKind.of(kindCode);
        if (kind == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED,
                "inference " + index + " has unknown prediction kind " + kindCode);
        }
        predictedClass.wrap(reader.buffer(), 0, 0);
        predictedNumber = Double.NaN;
        if (kind == PredictionKind.CLASS)
        {
            reader.getSlice("predictedClass", predictedClass);
        }
        else if (kind == PredictionKind.NUMBER)
        {
            predictedNumber = reader.getDouble("predictedNumber");
        }
        score = reader.getDouble("score");
        reader.getSlice("predictionId", predictionId);
        numericOffset = reader.position();
        Pairs.skip(reader, "numericFeatures", true);
        categoricalOffset = reader.position();
        Pairs.skip(reader, "categoricalFeatures", false);
        categoricalLimit = reader.position();
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

    public BufferSlice version()
    {
        return version;
    }

    public long latencyNanos()
    {
        return latencyNanos;
    }

    public Outcome outcome()
    {
        return outcome;
    }

    public PredictionKind predictionKind()
    {
        return kind;
    }

    public BufferSlice predictedClass()
    {
        return predictedClass;
    }

    public double predictedNumber()
    {
        return predictedNumber;
    }

    public double score()
    {
        return score;
    }

    public BufferSlice predictionId()
    {
        return predictionId;
    }

    public PairCursor numericFeatures()
    {
        return numeric.reset(reader.buffer(), numericOffset, categoricalOffset, true);
    }

    public PairCursor categoricalFeatures()
    {
        return categorical.reset(reader.buffer(), categoricalOffset, categoricalLimit, false);
    }
}
