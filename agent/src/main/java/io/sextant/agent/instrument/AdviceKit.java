package io.sextant.agent.instrument;

import io.sextant.agent.AgentLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.util.function.BiConsumer;

/**
 * What the agent's Byte Buddy transformers share: advice classes read from the agent's own jar, and
 * an agent builder that only ever changes method bodies (so classes can be retransformed), leaves
 * type initialisation alone and reports failures in one line. Used by the lazily built Logback /
 * Log4j 2 and Smile transformers; nothing here is loaded until one of them is built.
 */
public final class AdviceKit
{
    private final ClassFileLocator locator;
    private final TypePool pool;

    /**
     * @param agentLoader the class loader of the advice classes (the agent's).
     */
    public AdviceKit(final ClassLoader agentLoader)
    {
        // Byte Buddy's "safe" mode: no sun.misc.Unsafe (Java 24+ prints a warning on first use). The shade plugin
        // relocates this name with the package, so it only concerns the agent's own Byte Buddy.
        System.setProperty("net.bytebuddy.safe", "true");
        this.locator = ClassFileLocator.ForClassLoader.of(agentLoader);
        this.pool = TypePool.Default.of(locator);
    }

    /**
     * @param adviceClass name of a class with {@code @Advice} methods.
     * @return the advice, inlined from the class file rather than the loaded class.
     */
    public Advice advice(final String adviceClass)
    {
        return Advice.to(pool.describe(adviceClass).resolve(), locator);
    }

    /**
     * @param what          named in error lines ("log capture", "Smile capture").
     * @param onTransformed called with each transformed type and its loader, or null.
     * @return a builder for body-only, retransformation-safe changes.
     */
    public static AgentBuilder builder(final String what, final BiConsumer<TypeDescription, ClassLoader> onTransformed)
    {
        return new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new AgentBuilder.Listener.Adapter()
            {
                @Override
                public void onError(final String typeName, final ClassLoader classLoader, final JavaModule module,
                    final boolean loaded, final Throwable throwable)
                {
                    AgentLog.error(what + " could not instrument " + typeName, throwable);
                }

                @Override
                public void onTransformation(final TypeDescription type, final ClassLoader classLoader,
                    final JavaModule module, final boolean loaded, final DynamicType dynamicType)
                {
                    if (onTransformed != null)
                    {
                        onTransformed.accept(type, classLoader);
                    }
                }
            });
    }
}
