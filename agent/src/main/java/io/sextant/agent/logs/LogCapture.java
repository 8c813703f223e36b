package io.sextant.agent.logs;

import io.sextant.agent.bridge.LogBridge;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log capture set-up: {@link #prepare} makes the bridge reachable and hands it the sink; the
 * agent's {@link io.sextant.agent.instrument.CaptureTransformer} then rewrites JUL's {@code Logger}
 * itself and asks {@link LibraryCapture#transformer} for Byte Buddy advice on Logback's and Log4j 2's
 * loggers the first time one of them loads. Remembers the class loaders in which Logback and Log4j
 * were found, for the log-level command.
 */
public final class LogCapture
{
    static final String LOGBACK_LOGGER = "ch.qos.logback.classic.Logger";
    static final String LOG4J_LOGGER = "org.apache.logging.log4j.core.Logger";
    private static final Map<String, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private LogCapture()
    {
    }

    /**
     * Publishes the sink and lets {@code java.logging} read the bridge; runs in {@code premain}
     * before the transformer is registered.
     *
     * @param inst the JVM's instrumentation.
     * @param sink where events go.
     */
    public static void prepare(final Instrumentation inst, final LogSink sink)
    {
        LogBridge.sink = sink;
        // Found by name: touching java.util.logging.Logger here would load it now, and the transformer would then
        // have to retransform it, even in an application that never logs through JUL.
        final Module logging = ModuleLayer.boot().findModule("java.logging").orElse(null);
        if (logging != null && !logging.canRead(LogBridge.class.getModule()))
        {
            inst.redefineModule(logging, Set.of(LogBridge.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    static void remember(final String className, final ClassLoader loader)
    {
        LOADERS.put(className, loader);
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
