package io.sextant.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * A monotonic counter. Thread-safe, lock-free, allocation-free: the agent adds into striped cells
 * in place and ships the running total at each metrics interval.
 */
public final class Counter
{
    private static final MethodHandle ADD =
        Binding.handle("counterAdd", MethodType.methodType(void.class, int.class, long.class));

    private final int id;

    Counter(final int id)
    {
        this.id = id;
    }

    /**
     * Adds one.
     */
    public void increment()
    {
        try
        {
            ADD.invokeExact(id, 1L);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }

    /**
     * @param delta amount to add; negative values are ignored by the agent.
     */
    public void add(final long delta)
    {
        try
        {
            ADD.invokeExact(id, delta);
        }
        catch (final Throwable ignore)
        {
            // never throws into the application
        }
    }
}
