package io.sextant.agent.smile;

import io.sextant.agent.bridge.InferenceBridge;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.ModelRegistry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns Smile {@code predict} calls into inference records, through the same
 * {@link ApiEndpoints#inference} path as {@code sextant-api}.
 *
 * <p>Each model class becomes one model version in the {@link ModelRegistry}, registered on its
 * first call: its name is taken from {@code sextant.agent.smile-model-names} (keyed by the full
 * class name, the simple name or the top-level class's simple name) or else is the simple name of
 * the top-level class ({@code LogisticRegression} for {@code LogisticRegression.Binomial}); its
 * version is {@code sextant.agent.smile-model-version}; its numeric features are the first
 * {@code sextant.agent.smile-max-features} values of a {@code double[]} input, named
 * {@code f0, f1, ...}. A classification records the class index as the predicted class and, after
 * {@code predict(x, posteriori)}, the posterior probability of that class as the score; a
 * regression records the value; an exception records an ERROR outcome.
 *
 * <p>No double recording: in mode {@code auto} (the default) the recorder stops, for good, as soon
 * as the application registers a model through {@code sextant-api}, since it then records its
 * inferences itself; mode {@code on} records regardless and {@code off} never installs the advice.
 *
 * <p>Threads: any application thread. After a model class's first call, recording is lock-free and
 * allocates only the class index's text for classes 1024 and above.
 */
public final class SmileRecorder extends InferenceBridge
{
    private static final int CACHED_CLASSES = 1024;
    private static final String[] CLASS_TEXT = new String[CACHED_CLASSES];
    private static final String[] NO_NAMES = new String[0];

    static
    {
        for (int i = 0; i < CACHED_CLASSES; i++)
        {
            CLASS_TEXT[i] = Integer.toString(i);
        }
    }

    private final ApiEndpoints api;
    private final ModelRegistry models;
    private final Map<String, String> names;
    private final String version;
    private final String[] featureNames;
    private final boolean auto;
    private final AtomicLong errors = new AtomicLong();
    private final ClassValue<int[]> ids = new ClassValue<>()
    {
        @Override
        protected int[] computeValue(final Class<?> type)
        {
            return new int[] {register(type)};
        }
    };
    private volatile int ownModels;
    private volatile boolean applicationRecords;

    /**
     * @param api         where records go.
     * @param models      the model registry shared with {@code sextant-api}.
     * @param auto        true to stop once the application registers a model through {@code sextant-api}.
     * @param names       model names by class name.
     * @param version     the version recorded for every Smile model.
     * @param maxFeatures most numeric features recorded per inference.
     */
    public SmileRecorder(final ApiEndpoints api, final ModelRegistry models, final boolean auto,
        final Map<String, String> names, final String version, final int maxFeatures)
    {
        this.api = api;
        this.models = models;
        this.auto = auto;
        this.names = Map.copyOf(names);
        this.version = version;
        this.featureNames = new String[maxFeatures];
        for (int i = 0; i < maxFeatures; i++)
        {
            featureNames[i] = "f" + i;
        }
    }

    /**
     * @param type a model class.
     * @return the model name recorded for it.
     */
    public String modelName(final Class<?> type)
    {
        final String full = type.getName();
        final String simple = full.substring(full.lastIndexOf('.') + 1);
        final int dollar = simple.indexOf('$');
        final String topLevel = dollar > 0 ? simple.substring(0, dollar) : simple;
        String name = names.get(full);
        if (name == null && !type.getSimpleName().isEmpty())
        {
            name = names.get(type.getSimpleName());
        }
        if (name == null)
        {
            name = names.get(topLevel);
        }
        return name != null ? name : topLevel;
    }

    private int register(final Class<?> type)
    {
        synchronized (models)
        {
            // Counted before the registry publishes the id, so that a reader never sees more models than
            // this recorder and the application together registered (see recording()).
            ownModels = ownModels + 1;
            final int before = models.count();
            final int id = models.register(modelName(type), version, featureNames, NO_NAMES);
            if (models.count() == before)
            {
                ownModels = ownModels - 1;
            }
            return id;
        }
    }

    private boolean recording()
    {
        if (!auto)
        {
            return true;
        }
        if (applicationRecords)
        {
            return false;
        }
        if (models.count() > ownModels)
        {
            applicationRecords = true;
            return false;
        }
        return true;
    }

    @Override
    public void classified(final Object model, final long latencyNanos, final Object input, final double[] posteriori,
        final int predicted, final Throwable thrown)
    {
        try
        {
            if (model == null || !recording())
            {
                return;
            }
            final int id = ids.get(model.getClass())[0];
            final double[] numeric = input instanceof double[] ? (double[])input : null;
            if (thrown != null)
            {
                api.inference(id, latencyNanos, 1, 0, null, Double.NaN, Double.NaN, null, numeric, null);
                return;
            }
            final String label = predicted >= 0 && predicted < CACHED_CLASSES ? CLASS_TEXT[predicted] :
                Integer.toString(predicted);
            final double score = posteriori != null && predicted >= 0 && predicted < posteriori.length ?
                posteriori[predicted] : Double.NaN;
            api.inference(id, latencyNanos, 0, 1, label, Double.NaN, score, null, numeric, null);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    @Override
    public void regressed(final Object model, final long latencyNanos, final Object input, final double value,
        final Throwable thrown)
    {
        try
        {
            if (model == null || !recording())
            {
                return;
            }
            final int id = ids.get(model.getClass())[0];
            final double[] numeric = input instanceof double[] ? (double[])input : null;
            api.inference(id, latencyNanos, thrown == null ? 0 : 1, thrown == null ? 2 : 0, null,
                thrown == null ? value : Double.NaN, Double.NaN, null, numeric, null);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    /**
     * @return failures inside the recorder, swallowed.
     */
    public long errors()
    {
        return errors.get();
    }
}
