package io.sextant.agent.logs;

import io.sextant.agent.AgentLog;
import io.sextant.agent.bridge.LogBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Installs the log capture advice with Byte Buddy: on classes loaded from now on, and by
 * retransformation on those already loaded (JUL's {@code Logger} always is). Remembers the class
 * loaders in which Logback and Log4j were found, for the log-level command.
 *
 * <p>Runs once, in {@code premain} before it returns, so that no log line the application writes
 * is missed, however long Byte Buddy takes on a loaded machine.
 */
public final class LogCapture
{
    static final String LOGBACK_LOGGER = "ch.qos.logback.classic.Logger";
    static final String LOG4J_LOGGER = "org.apache.logging.log4j.core.Logger";
    static final String JUL_LOGGER = "java.util.logging.Logger";
    private static final Map<String, ClassLoader> LOADERS = new ConcurrentHashMap<>();
    private static volatile long installMillis = -1;

    private LogCapture()
    {
    }

    /**
     * @param inst the JVM's instrumentation.
     * @param sink where events go.
     */
    public static void install(final Instrumentation inst, final LogSink sink)
    {
        final long start = System.nanoTime();
        // Byte Buddy's "safe" mode: no sun.misc.Unsafe (Java 24+ prints a warning on first use). The shade
        // plugin relocates this name with the package, so it only concerns the agent's own Byte Buddy.
        System.setProperty("net.bytebuddy.safe", "true");
        LogBridge.sink = sink;
        final Module logging = java.util.logging.Logger.class.getModule();
        if (!logging.canRead(LogBridge.class.getModule()))
        {
            inst.redefineModule(logging, Set.of(LogBridge.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        final ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(LogCapture.class.getClassLoader());
        final TypePool pool = TypePool.Default.of(locator);
        final Advice logback = advice(pool, locator, LogbackAdvice.class.getName());
        final Advice log4j = advice(pool, locator, Log4jAdvice.class.getName());
        final Advice log4jLocation = advice(pool, locator, Log4jLocationAdvice.class.getName());
        final Advice jul = advice(pool, locator, JulAdvice.class.getName());
        new AgentBuilder.Default()
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
                        LOADERS.put(type.getName(), classLoader);
                    }
                }
            })
            .ignore(not(named(LOGBACK_LOGGER).or(named(LOG4J_LOGGER)).or(named(JUL_LOGGER))))
            .type(named(LOGBACK_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(logback.on(named("callAppenders").and(takesArguments(1)))))
            .type(named(LOG4J_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(log4j.on(named("logMessage").and(takesArguments(5))))
                    .visit(log4jLocation.on(named("log").and(takesArguments(6))
                        .and(takesArgument(3, named("java.lang.StackTraceElement"))))))
            .type(named(JUL_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(jul.on(named("log").and(takesArguments(java.util.logging.LogRecord.class)))))
            .installOn(inst);
        installMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private static Advice advice(final TypePool pool, final ClassFileLocator locator, final String name)
    {
        return Advice.to(pool.describe(name).resolve(), locator);
    }

    /**
     * @return how long installing took, or -1 before it finished (a thread dump shows it too).
     */
    public static long installMillis()
    {
        return installMillis;
    }

    /**
     * @param className {@code ch.qos.logback.classic.Logger} or {@code org.apache.logging.log4j.core.Logger}.
     * @return the class loader the class was instrumented in, or null when it was not seen.
     */
    public static ClassLoader loaderOf(final String className)
    {
        return LOADERS.get(className);
    }
}
