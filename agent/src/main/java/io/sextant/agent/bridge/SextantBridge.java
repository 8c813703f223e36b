package io.sextant.agent.bridge;

import java.lang.invoke.MethodHandle;
import java.util.function.Function;

/**
 * The one class the agent puts on the bootstrap class path, so that code in any class loader can
 * reach the agent: the application's copy of {@code sextant-api} looks up its entry points here
 * with {@code Class.forName(name, false, null)}, and log capture advice inlined into logging
 * libraries calls {@link LogBridge} next to it.
 *
 * <p>Its types mention only JDK classes, so nothing the agent relocates or the application loads
 * ever crosses a class loader boundary. Written once by the agent in {@code premain} (before the
 * application's {@code main}); read by any thread.
 */
public final class SextantBridge
{
    private static volatile Function<String, MethodHandle> handles;

    private SextantBridge()
    {
    }

    /**
     * @param name entry point name.
     * @return the handle, or null when the agent does not publish one of that name.
     */
    public static MethodHandle lookup(final String name)
    {
        final Function<String, MethodHandle> published = handles;
        return published == null ? null : published.apply(name);
    }

    /**
     * Publishes the agent's entry points. Called once by the agent.
     *
     * @param published the entry point of a name, or null for none; must know {@code attached}. Called
     *                  when the application's API classes first look one up, so that the handles an
     *                  application never uses are never made.
     */
    public static void publish(final Function<String, MethodHandle> published)
    {
        handles = published;
    }
}
