package io.sextant.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * One model version whose inferences this process records. Obtained from
 * {@link Sextant#model}; thread-safe.
 *
 * <p>Each record call copies its arguments into the agent's off-heap ring buffer and returns: it
 * never blocks, never throws and allocates nothing, so callers may reuse their feature arrays
 * right after the call. The feature arrays are matched by position with the feature names given
 * when the model was declared; extra values are ignored, missing ones are not sent.
 */
public final class Model
{
    private static final MethodHandle INFERENCE = Binding.handle("inference", MethodType.methodType(void.class,
        int.class, long.class, int.class, int.class, String.class, double.class, double.class, String.class,
        double[].class, String[].class));

    private static final int OUTCOME_OK = 0;
    private static final int OUTCOME_ERROR = 1;
    private static final int PREDICTION_NONE = 0;

    private final int id;
    private final int numericCount;
    private final int categoricalCount;

    Model(final int id, final int numericCount, final int categoricalCount)
    {
        this.id = id;
        this.numericCount = numericCount;
        this.categoricalCount = categoricalCount;
    }

    /**
     * Records a successful classification.
     *
     * @param latencyNanos   how long the model took.
     * @param predictedClass the predicted class.
     * @param score          the model's confidence for it, or {@code Double.NaN}.
     * @param predictionId   id a later label refers to, or null.
     * @param numeric        numeric feature values in declaration order, or null.
     * @param categorical    categorical feature values in declaration order, or null.
     */
    public void recordClass(
        final long latencyNanos, final String predictedClass, final double score, final String predictionId,
        final double[] numeric, final String[] categorical)
    {
        try
        {
            INFERENCE.invokeExact(id, latencyNanos, OUTCOME_OK, Sextant.PREDICTION_CLASS, predictedClass, 0.0, score,
                predictionId, numeric, categorical);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    /**
     * Records a successful numeric prediction (regression, ranking score...).
     *
     * @param latencyNanos how long the model took.
     * @param prediction   the predicted value.
     * @param score        a confidence, or {@code Double.NaN}.
     * @param predictionId id a later label refers to, or null.
     * @param numeric      numeric feature values, or null.
     * @param categorical  categorical feature values, or null.
     */
    public void recordNumber(
        final long latencyNanos, final double prediction, final double score, final String predictionId,
        final double[] numeric, final String[] categorical)
    {
        try
        {
            INFERENCE.invokeExact(id, latencyNanos, OUTCOME_OK, Sextant.PREDICTION_NUMBER, (String)null, prediction,
                score, predictionId, numeric, categorical);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    /**
     * Records a failed inference.
     *
     * @param latencyNanos time until the failure.
     * @param predictionId id of the request, or null.
     * @param numeric      numeric feature values, or null.
     * @param categorical  categorical feature values, or null.
     */
    public void recordError(
        final long latencyNanos, final String predictionId, final double[] numeric, final String[] categorical)
    {
        try
        {
            INFERENCE.invokeExact(id, latencyNanos, OUTCOME_ERROR, PREDICTION_NONE, (String)null, 0.0, Double.NaN,
                predictionId, numeric, categorical);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    /**
     * @return number of numeric features declared.
     */
    public int numericFeatureCount()
    {
        return numericCount;
    }

    /**
     * @return number of categorical features declared.
     */
    public int categoricalFeatureCount()
    {
        return categoricalCount;
    }
}
