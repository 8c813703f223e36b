package io.sextant.agent.logs;

import io.sextant.agent.AgentLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.ClassFileTransformer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Byte Buddy advice for Logback's and Log4j 2's loggers. Kept apart from {@link LogCapture}, which
 * {@code premain} uses, so that nothing of Byte Buddy is loaded (or verified) until one of these
 * libraries loads.
 */
public final class LibraryCapture
{
    private LibraryCapture()
    {
    }

    /**
     * Builds the Byte Buddy transformer for Logback's and Log4j 2's loggers (not registered: the
     * capture transformer calls it for those two classes only).
     *
     * @return the transformer.
     */
    public static ClassFileTransformer transformer()
    {
        // Byte Buddy's "safe" mode: no sun.misc.Unsafe (Java 24+ prints a warning on first use). The shade
        // plugin relocates this name with the package, so it only concerns the agent's own Byte Buddy.
        System.setProperty("net.bytebuddy.safe", "true");
        final ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(LibraryCapture.class.getClassLoader());
        final TypePool pool = TypePool.Default.of(locator);
        final Advice logback = advice(pool, locator, LogbackAdvice.class.getName());
        final Advice log4j = advice(pool, locator, Log4jAdvice.class.getName());
        final Advice log4jLocation = advice(pool, locator, Log4jLocationAdvice.class.getName());
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
                    AgentLog.error("log capture could not instrument " + typeName, throwable);
                }

                @Override
                public void onTransformation(final TypeDescription type, final ClassLoader classLoader,
                    final JavaModule module, final boolean loaded, final net.bytebuddy.dynamic.DynamicType dynamicType)
                {
                    if (classLoader != null)
                    {
                        LogCapture.remember(type.getName(), classLoader);
                    }
                }
            })
            .ignore(not(named(LogCapture.LOGBACK_LOGGER).or(named(LogCapture.LOG4J_LOGGER))))
            .type(named(LogCapture.LOGBACK_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(logback.on(named("callAppenders").and(takesArguments(1)))))
            .type(named(LogCapture.LOG4J_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(log4j.on(named("logMessage").and(takesArguments(5))))
                    .visit(log4jLocation.on(named("log").and(takesArguments(6))
                        .and(takesArgument(3, named("java.lang.StackTraceElement"))))))
            .makeRaw();
    }

    private static Advice advice(final TypePool pool, final ClassFileLocator locator, final String name)
    {
        return Advice.to(pool.describe(name).resolve(), locator);
    }

}
