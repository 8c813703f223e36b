package io.sextant.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * The entry point of the Sextant API.
 *
 * <p>Obtain handles once (at start-up or in a {@code static final} field) and use them on the hot
 * path:
 *
 * <pre>{@code
 * static final Counter ORDERS = Sextant.counter("shop.orders", "1");
 * static final Histogram CHECKOUT = Sextant.histogram("shop.checkout.latency", "ns");
 * static final Model FRAUD = Sextant.model("fraud", "2024-05-01",
 *     new String[] {"amount", "age"}, new String[] {"country"});
 *
 * ORDERS.increment();
 * CHECKOUT.record(nanos);
 * FRAUD.recordClass(latencyNanos, "fraud", 0.93, orderId, numericValues, categoricalValues);
 * Sextant.labelClass("fraud", orderId, "legit");   // later, when the truth is known
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread. Recording methods never block, never
 * throw and allocate nothing; when the agent's buffer is full the record is dropped and counted by
 * the agent. Registration methods ({@link #counter}, {@link #model}, ...) and model lifecycle
 * events are cold paths that may allocate.
 *
 * <p>With no agent attached every method does nothing (handles are still returned, so code needs
 * no null checks).
 */
public final class Sextant
{
    static final int KIND_COUNTER = 1;
    static final int KIND_GAUGE = 2;
    static final int KIND_HISTOGRAM = 3;

    static final int EVENT_REGISTER = 1;
    static final int EVENT_DEPLOY = 2;
    static final int EVENT_PROMOTE = 3;
    static final int EVENT_ROLLBACK = 4;

    static final int PREDICTION_CLASS = 1;
    static final int PREDICTION_NUMBER = 2;

    private static final String[] NO_STRINGS = new String[0];
    private static final double[] NO_NUMBERS = new double[0];

    private static final MethodHandle REGISTER_SERIES = Binding.handle("registerSeries",
        MethodType.methodType(int.class, int.class, String.class, String.class, String[].class));
    private static final MethodHandle REGISTER_MODEL = Binding.handle("registerModel",
        MethodType.methodType(int.class, String.class, String.class, String[].class, String[].class));
    private static final MethodHandle LABEL = Binding.handle("label",
        MethodType.methodType(void.class, String.class, String.class, int.class, String.class, double.class));
    private static final MethodHandle MODEL_EVENT = Binding.handle("modelEvent",
        MethodType.methodType(void.class, int.class, String.class, String.class, String.class, String.class,
            String.class, byte[].class, String[].class, String[].class, double[].class));

    private Sextant()
    {
    }

    /**
     * @return true when a Sextant agent is attached and this API is bound to it.
     */
    public static boolean isAttached()
    {
        return Binding.attached();
    }

    /**
     * A monotonic counter, shipped as its running total.
     *
     * @param name   metric name, for example {@code shop.orders}.
     * @param unit   unit, for example {@code 1} or {@code bytes}.
     * @param labels label key/value pairs: key, value, key, value...
     * @return the counter handle; keep it.
     */
    public static Counter counter(final String name, final String unit, final String... labels)
    {
        return new Counter(register(KIND_COUNTER, name, unit, labels));
    }

    /**
     * A gauge: the last value set is shipped at each metrics interval.
     *
     * @param name   metric name.
     * @param unit   unit.
     * @param labels label key/value pairs.
     * @return the gauge handle; keep it.
     */
    public static Gauge gauge(final String name, final String unit, final String... labels)
    {
        return new Gauge(register(KIND_GAUGE, name, unit, labels));
    }

    /**
     * A histogram of non-negative long values (for example latencies in nanoseconds), shipped as an
     * HdrHistogram of each interval (2 significant digits, values up to one hour in nanoseconds).
     *
     * @param name   metric name.
     * @param unit   unit of the recorded values, for example {@code ns}.
     * @param labels label key/value pairs.
     * @return the histogram handle; keep it.
     */
    public static Histogram histogram(final String name, final String unit, final String... labels)
    {
        return new Histogram(register(KIND_HISTOGRAM, name, unit, labels));
    }

    /**
     * Declares a model version whose inferences this process records.
     *
     * @param name                model name.
     * @param version             model version.
     * @param numericFeatures     names of the numeric features passed with each inference, in order.
     * @param categoricalFeatures names of the categorical features passed with each inference.
     * @return the model handle; keep it.
     */
    public static Model model(
        final String name, final String version, final String[] numericFeatures, final String[] categoricalFeatures)
    {
        int id = -1;
        // Typed locals: a signature-polymorphic call takes its descriptor from the static argument types,
        // and array clone() would make it Object.
        final String[] numeric = numericFeatures == null ? NO_STRINGS : numericFeatures.clone();
        final String[] categorical = categoricalFeatures == null ? NO_STRINGS : categoricalFeatures.clone();
        try
        {
            id = (int)REGISTER_MODEL.invokeExact(name, version, numeric, categorical);
        }
        catch (final Throwable ignore)
        {
            // no-op when the agent refuses
        }
        return new Model(id, numericFeatures == null ? 0 : numericFeatures.length,
            categoricalFeatures == null ? 0 : categoricalFeatures.length);
    }

    /**
     * Records the true class of an earlier prediction.
     *
     * @param model        model name.
     * @param predictionId the id passed with the inference.
     * @param trueClass    the class that turned out to be right.
     */
    public static void labelClass(final String model, final String predictionId, final String trueClass)
    {
        try
        {
            LABEL.invokeExact(model, predictionId, PREDICTION_CLASS, trueClass, 0.0);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    /**
     * Records the true value of an earlier numeric prediction.
     *
     * @param model        model name.
     * @param predictionId the id passed with the inference.
     * @param trueValue    the value that turned out to be right.
     */
    public static void labelNumber(final String model, final String predictionId, final double trueValue)
    {
        try
        {
            LABEL.invokeExact(model, predictionId, PREDICTION_NUMBER, (String)null, trueValue);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    /**
     * Registers a trained model version with its provenance.
     *
     * @param model       model name.
     * @param version     version.
     * @param datasetId   training dataset id.
     * @param datasetHash content hash of the dataset (for example SHA-256), or null.
     * @param parameters  hyper-parameters, or null.
     * @param metrics     training or validation metrics, or null.
     */
    public static void registerModelVersion(
        final String model, final String version, final String datasetId, final byte[] datasetHash,
        final Map<String, String> parameters, final Map<String, Double> metrics)
    {
        String[] params = NO_STRINGS;
        if (parameters != null)
        {
            params = new String[parameters.size() * 2];
            int i = 0;
            for (final Map.Entry<String, String> e : parameters.entrySet())
            {
                params[i++] = e.getKey();
                params[i++] = e.getValue();
            }
        }
        String[] names = NO_STRINGS;
        double[] values = NO_NUMBERS;
        if (metrics != null)
        {
            names = new String[metrics.size()];
            values = new double[metrics.size()];
            int i = 0;
            for (final Map.Entry<String, Double> e : metrics.entrySet())
            {
                names[i] = e.getKey();
                values[i++] = e.getValue() == null ? Double.NaN : e.getValue();
            }
        }
        modelEvent(EVENT_REGISTER, model, version, "", "", datasetId, datasetHash, params, names, values);
    }

    /**
     * Reports that a model version now serves in a stage.
     *
     * @param model   model name.
     * @param version version deployed.
     * @param stage   stage or alias, for example {@code production}.
     */
    public static void deployed(final String model, final String version, final String stage)
    {
        modelEvent(EVENT_DEPLOY, model, version, stage, "", "", null, NO_STRINGS, NO_STRINGS, NO_NUMBERS);
    }

    /**
     * Reports that a model version was promoted into a stage, replacing another.
     *
     * @param model           model name.
     * @param version         version promoted.
     * @param stage           stage.
     * @param previousVersion version that served before.
     */
    public static void promoted(final String model, final String version, final String stage,
        final String previousVersion)
    {
        modelEvent(EVENT_PROMOTE, model, version, stage, previousVersion, "", null, NO_STRINGS, NO_STRINGS,
            NO_NUMBERS);
    }

    /**
     * Reports a rollback.
     *
     * @param model       model name.
     * @param toVersion   version rolled back to.
     * @param stage       stage.
     * @param fromVersion version rolled back from.
     */
    public static void rolledBack(final String model, final String toVersion, final String stage,
        final String fromVersion)
    {
        modelEvent(EVENT_ROLLBACK, model, toVersion, stage, fromVersion, "", null, NO_STRINGS, NO_STRINGS,
            NO_NUMBERS);
    }

    private static void modelEvent(
        final int kind, final String model, final String version, final String stage, final String previous,
        final String datasetId, final byte[] hash, final String[] params, final String[] metricNames,
        final double[] metricValues)
    {
        final byte[] hashCopy = hash == null ? null : hash.clone();
        try
        {
            MODEL_EVENT.invokeExact(kind, model, version, stage, previous, datasetId, hashCopy, params, metricNames,
                metricValues);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    private static int register(final int kind, final String name, final String unit, final String[] labels)
    {
        final String[] pairs = labels == null ? NO_STRINGS : labels.clone();
        try
        {
            return (int)REGISTER_SERIES.invokeExact(kind, name, unit, pairs);
        }
        catch (final Throwable ignore)
        {
            return -1;
        }
    }
}
