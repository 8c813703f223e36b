package io.sextant.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * A gauge: the last value set wins. Thread-safe, lock-free, allocation-free.
 */
public final class Gauge
{
    private static final MethodHandle SET =
        Binding.handle("gaugeSet", MethodType.methodType(void.class, int.class, double.class));

    private final int id;

    Gauge(final int id)
    {
        this.id = id;
    }

    /**
     * @param value the current value.
     */
    public void set(final double value)
    {
        try
        {
            SET.invokeExact(id, value);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }
}
