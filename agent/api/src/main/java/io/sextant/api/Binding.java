package io.sextant.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Finds the agent, if one is attached, and hands out the method handles the API calls through.
 *
 * <p>Why method handles through the bootstrap class path: the application's copy of this API may
 * be loaded by any class loader (the system loader for a plain class path, a child loader in a
 * Spring Boot fat jar or an application server, even a loader whose parent is the platform
 * loader), while the agent lives on the system class path. The only loader every loader can see
 * is the bootstrap loader, so at start-up the agent appends one tiny class,
 * {@code io.sextant.agent.bridge.SextantBridge}, to the bootstrap search path and publishes its
 * entry points there as {@link MethodHandle}s whose types mention only JDK classes. This class looks
 * the bridge up with {@code Class.forName(name, false, null)} (bootstrap only, so an application
 * class of the same name can never impersonate it), checks each handle's type and stores it in a
 * {@code static final} field of the API class that uses it. A {@code static final} handle called
 * with {@code invokeExact} is a constant to the JIT compiler, which inlines the agent's method into
 * the caller: no reflection, no boxing and no allocation per call. When no agent is attached, or
 * the agent is older or newer and a handle is missing or has another type, the field holds
 * {@link MethodHandles#empty} of the expected type, a no-op the JIT removes entirely.
 *
 * <p>Binding happens once, when the API class is initialised. An agent attached later to a
 * running JVM ({@code agentmain}) binds only API classes initialised after it.
 */
final class Binding
{
    static final String BRIDGE_CLASS = "io.sextant.agent.bridge.SextantBridge";

    private static final MethodHandle LOOKUP = findLookup();

    private Binding()
    {
    }

    /**
     * @return true when an agent published its handles.
     */
    static boolean attached()
    {
        return LOOKUP != null;
    }

    /**
     * @param name entry point name.
     * @param type the exact type the caller will invoke it with.
     * @return the agent's handle, or a no-op of that type.
     */
    static MethodHandle handle(final String name, final MethodType type)
    {
        if (LOOKUP != null)
        {
            try
            {
                final MethodHandle handle = (MethodHandle)LOOKUP.invoke(name);
                if (handle != null && handle.type().equals(type))
                {
                    return handle;
                }
            }
            catch (final Throwable ignore)
            {
                // fall through to the no-op
            }
        }
        return MethodHandles.empty(type);
    }

    private static MethodHandle findLookup()
    {
        try
        {
            final Class<?> bridge = Class.forName(BRIDGE_CLASS, false, null);
            final MethodHandle lookup = MethodHandles.publicLookup().findStatic(
                bridge, "lookup", MethodType.methodType(MethodHandle.class, String.class));
            return (MethodHandle)lookup.invoke("attached") != null ? lookup : null;
        }
        catch (final Throwable notAttached)
        {
            return null;
        }
    }
}
