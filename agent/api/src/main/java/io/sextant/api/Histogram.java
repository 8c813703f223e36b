package io.sextant.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * A histogram of non-negative long values. Thread-safe, wait-free, allocation-free: the agent
 * records into an HdrHistogram recorder in place and ships one interval histogram per metrics
 * interval.
 */
public final class Histogram
{
    private static final MethodHandle RECORD =
        Binding.handle("histogramRecord", MethodType.methodType(void.class, int.class, long.class));

    private final int id;

    Histogram(final int id)
    {
        this.id = id;
    }

    /**
     * @param value the value; negative values are clamped to 0, values beyond the range to its top.
     */
    public void record(final long value)
    {
        try
        {
            RECORD.invokeExact(id, value);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }
}
