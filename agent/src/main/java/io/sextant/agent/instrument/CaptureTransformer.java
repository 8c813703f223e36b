package io.sextant.agent.instrument;

import io.sextant.agent.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's only class file transformer. Every class the JVM loads passes through it, so the
 * common case is a few string comparisons and {@code null} (no change):
 *
 * <ul>
 *   <li>{@code java.util.logging.Logger} is rewritten with plain ASM ({@link JulRewriter});</li>
 *   <li>Logback's and Log4j 2's loggers go to a Byte Buddy transformer that is built the first time
 *       one of them loads;</li>
 *   <li>classes under {@code smile/} go to a Byte Buddy transformer built the first time one loads.</li>
 * </ul>
 *
 * <p>An application that logs through JUL and uses no Smile never loads Byte Buddy's type model
 * (about a thousand classes and a second of CPU, measured with {@code -Xlog:class+load} and
 * {@code time}). The lazy parts are built under one lock, so Byte Buddy is never initialised on two
 * threads at once; a part that fails to build is reported once and stays off.
 */
public final class CaptureTransformer implements ClassFileTransformer
{
    static final String LOGBACK_LOGGER = "ch/qos/logback/classic/Logger";
    static final String LOG4J_LOGGER = "org/apache/logging/log4j/core/Logger";
    static final String SMILE_PREFIX = "smile/";

    private final boolean jul;
    private final Lazy logLibraries;
    private final Lazy smile;

    /**
     * @param jul          rewrite {@code java.util.logging.Logger}.
     * @param logLibraries builds the Logback and Log4j 2 transformer, or null for none.
     * @param smile        builds the Smile transformer, or null for none.
     */
    public CaptureTransformer(final boolean jul, final Supplier<ClassFileTransformer> logLibraries,
        final Supplier<ClassFileTransformer> smile)
    {
        this.jul = jul;
        this.logLibraries = logLibraries == null ? null : new Lazy("log capture (Logback, Log4j 2)", logLibraries);
        this.smile = smile == null ? null : new Lazy("Smile capture", smile);
    }

    /**
     * Registers this transformer and retransforms the classes it wants that are already loaded (JUL's
     * {@code Logger} always is; the others only when the agent attaches to a running JVM).
     *
     * @param inst the JVM's instrumentation.
     */
    public void install(final Instrumentation inst)
    {
        inst.addTransformer(this, true);
        final List<Class<?>> loaded = new ArrayList<>();
        for (final Class<?> type : inst.getAllLoadedClasses())
        {
            if (wants(type.getName().replace('.', '/')) && inst.isModifiableClass(type))
            {
                loaded.add(type);
            }
        }
        for (final Class<?> type : loaded)
        {
            try
            {
                inst.retransformClasses(type);
            }
            catch (final Throwable t)
            {
                AgentLog.error("could not instrument " + type.getName(), t);
            }
        }
    }

    boolean wants(final String internalName)
    {
        if (JulRewriter.LOGGER.equals(internalName))
        {
            return jul;
        }
        if (LOGBACK_LOGGER.equals(internalName) || LOG4J_LOGGER.equals(internalName))
        {
            return logLibraries != null;
        }
        return smile != null && internalName.startsWith(SMILE_PREFIX);
    }

    @Override
    public byte[] transform(final Module module, final ClassLoader loader, final String className,
        final Class<?> redefined, final ProtectionDomain domain, final byte[] classFile)
    {
        if (className == null || !wants(className))
        {
            return null;
        }
        try
        {
            if (JulRewriter.LOGGER.equals(className))
            {
                return JulRewriter.rewrite(classFile);
            }
            final Lazy part = className.startsWith(SMILE_PREFIX) ? smile : logLibraries;
            final ClassFileTransformer transformer = part.get();
            return transformer == null ? null :
                transformer.transform(module, loader, className, redefined, domain, classFile);
        }
        catch (final Throwable t)
        {
            AgentLog.error("could not instrument " + className.replace('/', '.'), t);
            return null;
        }
    }

    @Override
    public byte[] transform(final ClassLoader loader, final String className, final Class<?> redefined,
        final ProtectionDomain domain, final byte[] classFile)
    {
        return transform(null, loader, className, redefined, domain, classFile);
    }

    /** A transformer built on first use, under the one lock. */
    private static final class Lazy
    {
        private final String what;
        private final Supplier<ClassFileTransformer> factory;
        private volatile ClassFileTransformer built;
        private boolean tried;

        Lazy(final String what, final Supplier<ClassFileTransformer> factory)
        {
            this.what = what;
            this.factory = factory;
        }

        ClassFileTransformer get()
        {
            final ClassFileTransformer ready = built;
            if (ready != null)
            {
                return ready;
            }
            synchronized (CaptureTransformer.class)
            {
                if (!tried)
                {
                    tried = true;
                    try
                    {
                        built = factory.get();
                    }
                    catch (final Throwable t)
                    {
                        AgentLog.error(what + " off", t);
                    }
                }
                return built;
            }
        }
    }
}
