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
    /** Bytes that must remain for the one-load path: 8 for the load, 10 for a FLOAT64 sample. */
    private static final int COMPACT_READ_BYTES = 10;

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
     * @return the buffer offset just past the record {@link #next()} last decoded (before the first call, where
     *         the records begin), so that a sender can cut a batch into smaller frames at record boundaries.
     */
    public int recordEnd()
    {
        return reader.position();
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
        if (reader.remaining() >= COMPACT_READ_BYTES && nextCompact())
        {
            return true;
        }
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

    /**
     * Decodes the common sample from one 8-byte load: a one-byte series id, an inline time delta and
     * a value of at most 6 bytes (ZERO, INT, FLOAT32) or a FLOAT64 right after. Anything else is left
     * to the field-by-field path.
     *
     * @return true when the sample was decoded; false with nothing consumed otherwise.
     */
    private boolean nextCompact()
    {
        final DirectBuffer buffer = reader.buffer();
        final int position = reader.position();
        final long word = buffer.getLong(position, Frame.BYTE_ORDER);
        final int id = (int)word & 0xFF;
        final int head = (int)(word >>> 8) & 0xFF;
        final int deltaBits = head >>> 3;
        if (id >= 0x80 || deltaBits == MetricsEncoder.DELTA_ESCAPE)
        {
            return false;
        }
        final long valueBytes = word >>> 16;
        final int consumed;
        switch (head & 0x7)
        {
            case 0:
                encoding = ValueEncoding.ZERO;
                value = 0.0;
                consumed = 2;
                break;
            case 1:
            {
                final long stops = ~valueBytes & 0x0000_8080_8080_8080L;
                if (stops == 0)
                {
                    return false; // a varint of more than 6 bytes
                }
                final int bits = Long.numberOfTrailingZeros(stops) + 1;
                final long groups = valueBytes & ((1L << bits) - 1);
                final long zigzag = (groups & 0x7FL) |
                    ((groups >>> 1) & (0x7FL << 7)) |
                    ((groups >>> 2) & (0x7FL << 14)) |
                    ((groups >>> 3) & (0x7FL << 21)) |
                    ((groups >>> 4) & (0x7FL << 28)) |
                    ((groups >>> 5) & (0x7FL << 35));
                encoding = ValueEncoding.INT;
                value = (double)((zigzag >>> 1) ^ -(zigzag & 1));
                consumed = 2 + (bits >> 3);
                break;
            }
            case 2:
                encoding = ValueEncoding.FLOAT64;
                value = buffer.getDouble(position + 2, Frame.BYTE_ORDER);
                consumed = 10;
                break;
            case 3:
                encoding = ValueEncoding.FLOAT32;
                value = Float.intBitsToFloat((int)valueBytes);
                consumed = 6;
                break;
            default:
                return false; // histograms, and the reserved codes that the slow path refuses
        }
        seriesId = id;
        timeMillis = baseTimeMillis + deltaBits;
        reader.position(position + consumed);
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
