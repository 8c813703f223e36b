package io.sextant.protocol;

/**
 * Encodes an INFERENCE payload: {@code baseTimeNanos int64, count uint16}, then per record
 * {@code timeDelta zigzag varint (ns), model string, version string, latencyNanos varint,
 * outcome uint8, predictionKind uint8, [class string | number float64], score float64 (NaN when
 * absent), predictionId string, numeric features (pairs with float64 values), categorical
 * features (pairs with string values)}.
 *
 * <p>Not thread-safe.
 */
public final class InferenceEncoder extends RecordBatch
{
    private static final CharSequence[] NO_STRINGS = new CharSequence[0];
    private static final double[] NO_NUMBERS = new double[0];

    /**
     * @param writer        payload writer from {@link FrameWriter#begin} with type INFERENCE.
     * @param baseTimeNanos Unix epoch nanoseconds that record times are relative to.
     * @return this.
     */
    public InferenceEncoder wrap(final WireWriter writer, final long baseTimeNanos)
    {
        begin(writer, baseTimeNanos);
        return this;
    }

    /**
     * Appends a record, or nothing when it does not fit.
     *
     * @param timeNanos       Unix epoch nanoseconds when the inference finished.
     * @param model           model name.
     * @param version         model version.
     * @param latencyNanos    how long the model took (non-negative).
     * @param outcome         success or error.
     * @param kind            shape of the prediction.
     * @param predictedClass  the class label when kind is CLASS.
     * @param predictedNumber the value when kind is NUMBER.
     * @param score           the model's confidence or probability, NaN when absent.
     * @param predictionId    id that a later label refers to, or empty.
     * @param numNames        numeric feature names; may be null when numCount is 0.
     * @param numValues       numeric feature values.
     * @param numCount        number of numeric features.
     * @param catNames        categorical feature names; may be null when catCount is 0.
     * @param catValues       categorical feature values.
     * @param catCount        number of categorical features.
     * @return false when the frame is full; nothing was written.
     */
    public boolean record(
        final long timeNanos, final CharSequence model, final CharSequence version, final long latencyNanos,
        final Outcome outcome, final PredictionKind kind, final CharSequence predictedClass,
        final double predictedNumber, final double score, final CharSequence predictionId,
        final CharSequence[] numNames, final double[] numValues, final int numCount,
        final CharSequence[] catNames, final CharSequence[] catValues, final int catCount)
    {
        final int bound = 10 + bound(model) + bound(version) + 10 + 2 + bound(predictedClass) + 8 + 8 +
            bound(predictionId) + bound(numNames, numCount) + bound(catNames, catValues, catCount);
        if (!hasRoom(bound))
        {
            return false;
        }
        final int start = writer.position();
        try
        {
            writer.putZigZag(timeNanos - baseTime).putString(model).putString(version)
                .putVarLong(Math.max(0, latencyNanos)).putByte(outcome.code()).putByte(kind.code());
            if (kind == PredictionKind.CLASS)
            {
                writer.putString(predictedClass);
            }
            else if (kind == PredictionKind.NUMBER)
            {
                writer.putDouble(predictedNumber);
            }
            writer.putDouble(score).putString(predictionId);
            Pairs.putNumbers(writer, numNames == null ? NO_STRINGS : numNames, numValues == null ? NO_NUMBERS : numValues,
                numCount);
            Pairs.putText(writer, catNames == null ? NO_STRINGS : catNames, catValues, catCount);
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
