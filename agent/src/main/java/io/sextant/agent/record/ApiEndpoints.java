package io.sextant.agent.record;

import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.ModelEventKind;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The agent side of {@code sextant-api}: one method per API entry point, published as bound
 * method handles through the bootstrap bridge (see {@code io.sextant.api.Binding} for why). Every
 * method catches everything: application threads never see an exception from the agent.
 *
 * <p>Threads: any application thread. Recording methods are lock-free and allocation-free;
 * registration and model events are cold paths.
 */
public final class ApiEndpoints implements Function<String, MethodHandle>
{
    static final int MAX_CLASS_CHARS = 256;
    static final int MAX_ID_CHARS = 128;
    static final int MAX_CATEGORY_CHARS = 256;
    static final int MAX_FEATURES = 256;
    static final int INFERENCE_FIXED = 44;
    static final int LABEL_FIXED = 20;
    static final int MODEL_EVENT_QUEUE = 256;

    private final RecordRing ring;
    private final CustomMetrics metrics;
    private final ModelRegistry models;
    private final ManyToOneConcurrentArrayQueue<ModelEvent> modelEvents =
        new ManyToOneConcurrentArrayQueue<>(MODEL_EVENT_QUEUE);
    private final Map<String, MethodHandle> handles = new HashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong modelEventsDropped = new AtomicLong();

    /**
     * @param ring    the ring buffer records go into.
     * @param metrics custom metrics registry.
     * @param models  model registry.
     */
    public ApiEndpoints(final RecordRing ring, final CustomMetrics metrics, final ModelRegistry models)
    {
        this.ring = ring;
        this.metrics = metrics;
        this.models = models;
    }

    /**
     * Makes the entry point of a name on first request (a method handle typed with JDK classes only,
     * bound to this instance); the application's API classes ask for the ones they use.
     *
     * @param name entry point name.
     * @return the handle, or null when there is no entry point of that name.
     */
    @Override
    public synchronized MethodHandle apply(final String name)
    {
        final MethodHandle made = handles.get(name);
        if (made != null || handles.containsKey(name))
        {
            return made;
        }
        MethodHandle handle = null;
        try
        {
            final MethodType type = type(name);
            if (type != null)
            {
                handle = MethodHandles.lookup().findVirtual(ApiEndpoints.class, name, type).bindTo(this);
            }
            else if ("attached".equals(name))
            {
                handle = MethodHandles.constant(String.class, "sextant");
            }
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
        handles.put(name, handle);
        return handle;
    }

    private static MethodType type(final String name)
    {
        return switch (name)
        {
            case "registerSeries" -> MethodType.methodType(int.class, int.class, String.class, String.class,
                String[].class);
            case "counterAdd" -> MethodType.methodType(void.class, int.class, long.class);
            case "gaugeSet" -> MethodType.methodType(void.class, int.class, double.class);
            case "histogramRecord" -> MethodType.methodType(void.class, int.class, long.class);
            case "registerModel" -> MethodType.methodType(int.class, String.class, String.class, String[].class,
                String[].class);
            case "inference" -> MethodType.methodType(void.class, int.class, long.class, int.class, int.class,
                String.class, double.class, double.class, String.class, double[].class, String[].class);
            case "label" -> MethodType.methodType(void.class, String.class, String.class, int.class, String.class,
                double.class);
            case "modelEvent" -> MethodType.methodType(void.class, int.class, String.class, String.class,
                String.class, String.class, String.class, byte[].class, String[].class, String[].class,
                double[].class);
            default -> null;
        };
    }

    public int registerSeries(final int kind, final String name, final String unit, final String[] labels)
    {
        try
        {
            return metrics.register(kind, name, unit, labels);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
            return -1;
        }
    }

    public void counterAdd(final int id, final long delta)
    {
        metrics.add(id, delta);
    }

    public void gaugeSet(final int id, final double value)
    {
        metrics.set(id, value);
    }

    public void histogramRecord(final int id, final long value)
    {
        try
        {
            metrics.record(id, value);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    public int registerModel(final String name, final String version, final String[] numeric, final String[] categorical)
    {
        try
        {
            return models.register(name, version, numeric, categorical);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
            return -1;
        }
    }

    /**
     * Hot path: claims, encodes and commits one inference record; drops and counts when full.
     */
    public void inference(
        final int modelId, final long latencyNanos, final int outcome, final int kind, final String predictedClass,
        final double number, final double score, final String predictionId, final double[] numeric,
        final String[] categorical)
    {
        try
        {
            if (!models.valid(modelId))
            {
                return;
            }
            final int numCount = numeric == null ? 0 : Math.min(MAX_FEATURES, Math.min(numeric.length,
                models.numericCount(modelId)));
            final int catCount = categorical == null ? 0 : Math.min(MAX_FEATURES, Math.min(categorical.length,
                models.categoricalCount(modelId)));
            final int classCode = models.classCode(modelId, predictedClass);
            int length = INFERENCE_FIXED + (classCode >= 0 ? 4 : RecordRing.stringLength(predictedClass, MAX_CLASS_CHARS)) +
                RecordRing.stringLength(predictionId, MAX_ID_CHARS) + 8 * numCount;
            for (int i = 0; i < catCount; i++)
            {
                length += RecordRing.stringLength(categorical[i], MAX_CATEGORY_CHARS);
            }
            final int index = ring.claim(RecordRing.MSG_INFERENCE, length);
            if (index < 0)
            {
                return;
            }
            // Unchecked writes: every one lies inside the claim of `length` bytes measured above.
            final long base = ring.address() + index;
            final long end = base + length;
            RecordRing.putLongAt(base, ring.timeNanos());
            RecordRing.putLongAt(base + 8, latencyNanos);
            RecordRing.putDoubleAt(base + 16, number);
            RecordRing.putDoubleAt(base + 24, score);
            RecordRing.putIntAt(base + 32, modelId);
            RecordRing.putByteAt(base + 36, (byte)outcome);
            RecordRing.putByteAt(base + 37, (byte)kind);
            RecordRing.putShortAt(base + 38, (short)numCount);
            RecordRing.putShortAt(base + 40, (short)catCount);
            long at;
            if (classCode >= 0)
            {
                RecordRing.putIntAt(base + INFERENCE_FIXED, -1 - classCode);
                at = base + INFERENCE_FIXED + 4;
            }
            else
            {
                at = RecordRing.putStringAt(base + INFERENCE_FIXED, end, predictedClass, MAX_CLASS_CHARS);
            }
            at = RecordRing.putStringAt(at, end, predictionId, MAX_ID_CHARS);
            for (int i = 0; i < numCount; i++)
            {
                RecordRing.putDoubleAt(at, numeric[i]);
                at += 8;
            }
            for (int i = 0; i < catCount; i++)
            {
                // Leaves 4 bytes for each later string's length even if the application swapped a value.
                at = RecordRing.putStringAt(at, end - 4L * (catCount - 1 - i), categorical[i], MAX_CATEGORY_CHARS);
            }
            ring.commit(index);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    /**
     * Hot path: a label for an earlier prediction.
     */
    public void label(final String model, final String predictionId, final int kind, final String labelClass,
        final double number)
    {
        try
        {
            if (predictionId == null || (kind != 1 && kind != 2))
            {
                return;
            }
            final int length = LABEL_FIXED + RecordRing.stringLength(model, MAX_CLASS_CHARS) +
                RecordRing.stringLength(predictionId, MAX_ID_CHARS) + RecordRing.stringLength(labelClass, MAX_CLASS_CHARS);
            final int index = ring.claim(RecordRing.MSG_LABEL, length);
            if (index < 0)
            {
                return;
            }
            final MutableDirectBuffer b = ring.buffer();
            b.putLong(index, ring.timeNanos());
            b.putDouble(index + 8, number);
            b.putInt(index + 16, kind);
            int at = RecordRing.putString(b, index + 20, model, MAX_CLASS_CHARS);
            at = RecordRing.putString(b, at, predictionId, MAX_ID_CHARS);
            RecordRing.putString(b, at, labelClass, MAX_CLASS_CHARS);
            ring.commit(index);
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    /**
     * Cold path: a model lifecycle event, queued for the sender (bounded; dropped and counted when full).
     */
    public void modelEvent(
        final int kind, final String model, final String version, final String stage, final String previous,
        final String datasetId, final byte[] datasetHash, final String[] params, final String[] metricNames,
        final double[] metricValues)
    {
        try
        {
            final ModelEventKind eventKind = ModelEventKind.of(kind);
            if (eventKind == null || model == null)
            {
                return;
            }
            final Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; params != null && i + 1 < params.length; i += 2)
            {
                parameters.put(String.valueOf(params[i]), String.valueOf(params[i + 1]));
            }
            final Map<String, Double> numbers = new LinkedHashMap<>();
            for (int i = 0; metricNames != null && metricValues != null && i < Math.min(metricNames.length,
                metricValues.length); i++)
            {
                numbers.put(String.valueOf(metricNames[i]), metricValues[i]);
            }
            final ModelEvent event = new ModelEvent(System.currentTimeMillis(), eventKind, model,
                nonNull(version), nonNull(stage), nonNull(previous), nonNull(datasetId),
                datasetHash == null ? new byte[0] : datasetHash, new byte[0], parameters, numbers);
            if (!modelEvents.offer(event))
            {
                modelEventsDropped.incrementAndGet();
            }
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    private static String nonNull(final String s)
    {
        return s == null ? "" : s;
    }

    /**
     * @return queued model events, polled by the sender thread.
     */
    public ManyToOneConcurrentArrayQueue<ModelEvent> modelEvents()
    {
        return modelEvents;
    }

    public long errors()
    {
        return errors.get();
    }

    public long modelEventsDropped()
    {
        return modelEventsDropped.get();
    }
}
