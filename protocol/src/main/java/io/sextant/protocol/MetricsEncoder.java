package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Encodes a METRICS payload: {@code baseTimeMillis int64, count uint16}, then per sample
 * {@code seriesId varint, head uint8, [timeDelta zigzag varint], value}. The head's low three bits
 * are the {@link ValueEncoding}; its high five bits are the time delta from the base in
 * milliseconds when it is 0..30, or 31 when an explicit zig-zag varint delta follows. A steady
 * integral sample of a series with id below 128 costs 3 to 6 bytes.
 *
 * <p>Not thread-safe.
 */
public final class MetricsEncoder extends RecordBatch
{
    static final int INLINE_DELTA_MAX = 30;
    static final int DELTA_ESCAPE = 31;
    private static final long NEGATIVE_ZERO_BITS = Double.doubleToRawLongBits(-0.0);
    private static final double INT_LIMIT = 9.007199254740992E15; // 2^53
    /** Longest sample other than a histogram: id (4) + head (1) + delta (10) + value (8). */
    private static final int MAX_SAMPLE_LENGTH = 23;
    /** Values of up to 6 bytes share an 8-byte store with the series id and the head. */
    private static final int COMPACT_VALUE_MAX = 6;

    /**
     * @param writer         payload writer from {@link FrameWriter#begin} with type METRICS.
     * @param baseTimeMillis Unix epoch milliseconds that sample times are relative to.
     * @return this.
     */
    public MetricsEncoder wrap(final WireWriter writer, final long baseTimeMillis)
    {
        begin(writer, baseTimeMillis);
        return this;
    }

    /**
     * Appends a counter or gauge sample in the shortest exact encoding.
     *
     * @param seriesId   a series defined on this connection.
     * @param timeMillis Unix epoch milliseconds.
     * @param value      the value.
     * @return false when the frame is full; nothing was written.
     */
    public boolean sample(final int seriesId, final long timeMillis, final double value)
    {
        checkSeriesId(seriesId);
        if (!hasRoom(MAX_SAMPLE_LENGTH))
        {
            return false;
        }
        final long delta = timeMillis - baseTime;
        if (Double.doubleToRawLongBits(value) == 0L)
        {
            putSample(seriesId, delta, ValueEncoding.ZERO, 0, 0);
        }
        else if (value == Math.rint(value) && Math.abs(value) < INT_LIMIT &&
            Double.doubleToRawLongBits(value) != NEGATIVE_ZERO_BITS)
        {
            final long integral = (long)value;
            final long zigzag = (integral << 1) ^ (integral >> 63);
            final int length = WireWriter.varLongLength(zigzag);
            if (length > 4 && (double)(float)value == value)
            {
                putSample(seriesId, delta, ValueEncoding.FLOAT32, floatBytes(value), 4);
            }
            else if (length <= COMPACT_VALUE_MAX)
            {
                putSample(seriesId, delta, ValueEncoding.INT, WireWriter.varLongBytes(zigzag, length), length);
            }
            else
            {
                head(seriesId, delta, ValueEncoding.INT);
                writer.putVarLong(zigzag);
            }
        }
        else if ((double)(float)value == value)
        {
            putSample(seriesId, delta, ValueEncoding.FLOAT32, floatBytes(value), 4);
        }
        else
        {
            head(seriesId, delta, ValueEncoding.FLOAT64);
            writer.putDouble(value);
        }
        count++;
        return true;
    }

    /**
     * Appends an integral sample.
     *
     * @param seriesId   a series defined on this connection.
     * @param timeMillis Unix epoch milliseconds.
     * @param value      the value; beyond ±2^53 it is sent as the nearest double.
     * @return false when the frame is full; nothing was written.
     */
    public boolean sampleLong(final int seriesId, final long timeMillis, final long value)
    {
        checkSeriesId(seriesId);
        if (value > -(1L << 53) && value < (1L << 53))
        {
            if (!hasRoom(MAX_SAMPLE_LENGTH))
            {
                return false;
            }
            final long delta = timeMillis - baseTime;
            final long zigzag = (value << 1) ^ (value >> 63);
            final int length = WireWriter.varLongLength(zigzag);
            if (value == 0)
            {
                putSample(seriesId, delta, ValueEncoding.ZERO, 0, 0);
            }
            else if (length <= COMPACT_VALUE_MAX)
            {
                putSample(seriesId, delta, ValueEncoding.INT, WireWriter.varLongBytes(zigzag, length), length);
            }
            else
            {
                head(seriesId, delta, ValueEncoding.INT);
                writer.putVarLong(zigzag);
            }
            count++;
            return true;
        }
        return sample(seriesId, timeMillis, (double)value);
    }

    /**
     * Appends a histogram sample.
     *
     * @param seriesId   a histogram series defined on this connection.
     * @param timeMillis Unix epoch milliseconds (end of the interval).
     * @param encoded    an uncompressed HdrHistogram V2 encoding (as written by
     *                   {@code AbstractHistogram.encodeIntoByteBuffer}).
     * @param offset     of the encoding in encoded.
     * @param length     of the encoding.
     * @return false when the frame is full; nothing was written.
     * @throws ProtocolException with {@link ErrorCode#LIMIT_EXCEEDED} when the encoding is longer than
     *                           a bytes field allows, so that it would fit no frame.
     */
    public boolean histogram(
        final int seriesId, final long timeMillis, final DirectBuffer encoded, final int offset, final int length)
    {
        checkSeriesId(seriesId);
        if (length < 0 || length > Limits.MAX_FIELD_LENGTH)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "histogram encoding of " + length +
                " bytes: a bytes field holds 0.." + Limits.MAX_FIELD_LENGTH);
        }
        if (!hasRoom(MAX_SAMPLE_LENGTH + length))
        {
            return false;
        }
        head(seriesId, timeMillis - baseTime, ValueEncoding.HISTOGRAM);
        writer.putBytes(encoded, offset, length);
        count++;
        return true;
    }

    private static void checkSeriesId(final int seriesId)
    {
        if ((seriesId & ~Limits.MAX_SERIES_ID) != 0)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
                "series id " + seriesId + " out of range 0.." + Limits.MAX_SERIES_ID);
        }
    }

    private static long floatBytes(final double value)
    {
        return Float.floatToRawIntBits((float)value) & 0xFFFF_FFFFL;
    }

    /**
     * Writes a sample whose value takes at most {@link #COMPACT_VALUE_MAX} bytes. The common case (a
     * series id below 128 and a time within 30 ms of the base) is one 8-byte store; the bytes past the
     * sample are scratch, within the room that {@link #hasRoom} checked.
     */
    private void putSample(
        final int seriesId, final long delta, final ValueEncoding encoding, final long valueBytes, final int valueLength)
    {
        if (seriesId < 0x80 && delta >= 0 && delta <= INLINE_DELTA_MAX)
        {
            final int position = writer.position();
            final long head = ((delta << 3) | encoding.code()) << 8;
            writer.buffer().putLong(position, seriesId | head | (valueBytes << 16), Frame.BYTE_ORDER);
            writer.position(position + 2 + valueLength);
        }
        else
        {
            head(seriesId, delta, encoding);
            for (int i = 0; i < valueLength; i++)
            {
                writer.putByte((int)(valueBytes >>> (i << 3)));
            }
        }
    }

    private void head(final int seriesId, final long delta, final ValueEncoding encoding)
    {
        writer.putVarLong(seriesId);
        if (delta >= 0 && delta <= INLINE_DELTA_MAX)
        {
            writer.putByte(((int)delta << 3) | encoding.code());
        }
        else
        {
            writer.putByte((DELTA_ESCAPE << 3) | encoding.code());
            writer.putZigZag(delta);
        }
    }
}
