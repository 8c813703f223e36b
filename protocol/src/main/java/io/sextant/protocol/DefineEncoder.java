package io.sextant.protocol;

/**
 * Encodes a DEFINE payload: series dictionary entries that give a connection-local integer id to
 * a series name, kind, unit and label set. Layout: uint16 count, then per entry
 * {@code id varint, kind uint8, name string, unit string, labels pairs}.
 *
 * <p>Not thread-safe.
 */
public final class DefineEncoder
{
    private WireWriter writer;
    private int countOffset;
    private int count;

    /**
     * @param writer payload writer from {@link FrameWriter#begin} with type DEFINE.
     * @return this.
     */
    public DefineEncoder wrap(final WireWriter writer)
    {
        this.writer = writer;
        countOffset = writer.position();
        writer.putShort(0);
        count = 0;
        return this;
    }

    /**
     * Appends one definition, or nothing when it does not fit.
     *
     * @param seriesId    id in [0, {@link Limits#MAX_SERIES_ID}].
     * @param kind        counter, gauge or histogram.
     * @param name        metric name.
     * @param unit        unit, for example "bytes" or "ms"; may be empty.
     * @param labelKeys   label names.
     * @param labelValues label values.
     * @param labelCount  number of labels.
     * @return false when the frame is full; nothing was written.
     */
    public boolean series(
        final int seriesId, final SeriesKind kind, final CharSequence name, final CharSequence unit,
        final CharSequence[] labelKeys, final CharSequence[] labelValues, final int labelCount)
    {
        if (seriesId < 0 || seriesId > Limits.MAX_SERIES_ID)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "series id " + seriesId + " out of range");
        }
        final int bound = 6 + RecordBatch.bound(name) + RecordBatch.bound(unit) +
            RecordBatch.bound(labelKeys, labelValues, labelCount);
        if (count >= Limits.MAX_RECORDS || writer.remaining() < bound)
        {
            return false;
        }
        final int start = writer.position();
        try
        {
            writer.putVarLong(seriesId).putByte(kind.code()).putString(name).putString(unit);
            Pairs.putText(writer, labelKeys, labelValues, labelCount);
        }
        catch (final RuntimeException ex)
        {
            writer.position(start); // a refused record leaves the payload as it was
            throw ex;
        }
        count++;
        return true;
    }

    public int count()
    {
        return count;
    }

    /**
     * Writes the count; call after the last append.
     */
    public void finish()
    {
        writer.buffer().putShort(countOffset, (short)count, Frame.BYTE_ORDER);
    }
}
