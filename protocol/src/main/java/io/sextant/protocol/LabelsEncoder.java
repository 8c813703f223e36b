package io.sextant.protocol;

/**
 * Encodes a LABELS payload: {@code baseTimeNanos int64, count uint16}, then per record
 * {@code timeDelta zigzag varint (ns), model string, predictionId string, kind uint8 (CLASS or
 * NUMBER), [class string | number float64]}.
 *
 * <p>Not thread-safe.
 */
public final class LabelsEncoder extends RecordBatch
{
    public LabelsEncoder wrap(final WireWriter writer, final long baseTimeNanos)
    {
        begin(writer, baseTimeNanos);
        return this;
    }

    /**
     * Appends a label, or nothing when it does not fit.
     *
     * @param timeNanos    Unix epoch nanoseconds when the truth became known.
     * @param model        model name, or empty when unknown.
     * @param predictionId the prediction this label belongs to.
     * @param kind         CLASS or NUMBER.
     * @param labelClass   the true class when kind is CLASS.
     * @param labelNumber  the true value when kind is NUMBER.
     * @return false when the frame is full; nothing was written.
     */
    public boolean label(
        final long timeNanos, final CharSequence model, final CharSequence predictionId, final PredictionKind kind,
        final CharSequence labelClass, final double labelNumber)
    {
        if (kind == PredictionKind.NONE)
        {
            throw new IllegalArgumentException("a label needs a class or a number");
        }
        if (!hasRoom(10 + bound(model) + bound(predictionId) + 1 + Math.max(8, bound(labelClass))))
        {
            return false;
        }
        final int start = writer.position();
        try
        {
            writer.putZigZag(timeNanos - baseTime).putString(model).putString(predictionId).putByte(kind.code());
            if (kind == PredictionKind.CLASS)
            {
                writer.putString(labelClass);
            }
            else
            {
                writer.putDouble(labelNumber);
            }
        }
        catch (final RuntimeException ex)
        {
            writer.position(start); // a refused record leaves the payload as it was
            throw ex;
        }
        count++;
        return true;
    }
}
