package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes a METRICS payload one sample at a time (see {@link MetricsEncoder} for the layout),
 * validating as it goes. Allocates nothing.
 *
 * <p>Not thread-safe.
 */
public final class MetricsDecoder
{
    private final WireReader reader = new WireReader();
    private final BufferSlice histogram = new BufferSlice();
    private long baseTimeMillis;
    private int count;
    private int index;
    private int seriesId;
    private long timeMillis;
    private ValueEncoding encoding;
    private double value;

    /**
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param limit  end of the payload.
     * @return this.
     */
    public MetricsDecoder wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        reader.wrap(buffer, offset, limit);
        baseTimeMillis = reader.getLong("baseTimeMillis");
        count = RecordBatch.readCount(reader);
        index = 0;
        return this;
    }

    public long baseTimeMillis()
    {
        return baseTimeMillis;
    }

    public int count()
    {
        return count;
    }

    /**
     * @return true when positioned on a further sample.
     */
    public boolean next()
    {
        if (index >= count)
        {
            return false;
        }
        index++;
        seriesId = reader.getVarInt("seriesId", Limits.MAX_SERIES_ID);
        final int head = reader.getUByte("head");
        final int deltaBits = head >>> 3;
        final long delta = deltaBits == MetricsEncoder.DELTA_ESCAPE ? reader.getZigZag("timeDelta") : deltaBits;
        timeMillis = baseTimeMillis + delta;
        switch (head & 0x7)
        {
            case 0:
                encoding = ValueEncoding.ZERO;
                value = 0.0;
                break;
            case 1:
                encoding = ValueEncoding.INT;
                value = (double)reader.getZigZag("value");
                break;
            case 2:
                encoding = ValueEncoding.FLOAT64;
                value = reader.getDouble("value");
                break;
            case 3:
                encoding = ValueEncoding.FLOAT32;
                value = reader.getFloat("value");
                break;
            case 4:
                encoding = ValueEncoding.HISTOGRAM;
                value = Double.NaN;
                reader.getSlice("histogram", histogram);
                break;
            default:
                throw unknownEncoding(head & 0x7);
        }
        return true;
    }

    private ProtocolException unknownEncoding(final int code)
    {
        return new ProtocolException(ErrorCode.MALFORMED, "sample " + index + " has unknown value encoding " + code);
    }

    public int seriesId()
    {
        return seriesId;
    }

    public long timeMillis()
    {
        return timeMillis;
    }

    public ValueEncoding encoding()
    {
        return encoding;
    }

    /**
     * @return the value of a counter or gauge sample; NaN for a histogram sample.
     */
    public double value()
    {
        return value;
    }

    /**
     * @return the HdrHistogram V2 encoding of a histogram sample.
     */
    public BufferSlice histogram()
    {
        return histogram;
    }
}
