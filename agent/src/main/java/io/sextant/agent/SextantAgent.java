package io.sextant.agent;

import io.sextant.agent.config.AgentConfig;
import io.sextant.agent.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * {@code premain} and {@code agentmain}: the only code the JVM calls directly. It does the minimum
 * before returning to the application: read and validate the configuration, open
 * {@code jdk.internal.misc} to the agent (Agrona needs it, and a manifest {@code Add-Exports} is
 * ignored for agents), define the bridge classes in the bootstrap class loader, then hand over to
 * {@link AgentWiring}, which allocates the buffers, installs log and Smile capture with Byte Buddy
 * (before returning, so that the application's first log line and model call are captured) and
 * starts the sender thread.
 *
 * <p>Never throws into the application: a bad configuration prints one line and the agent stays
 * off; any other failure prints one line and the agent stays off. This class refers to no
 * relocated dependency, so nothing can fail to link before the checks run.
 */
public final class SextantAgent
{
    static final String[] BRIDGE_CLASSES = {
        "io/sextant/agent/bridge/SextantBridge.class", "io/sextant/agent/bridge/LogBridge.class",
        "io/sextant/agent/bridge/InferenceBridge.class"};

    private static boolean started;

    private SextantAgent()
    {
    }

    /**
     * @param args agent arguments, {@code key=value,...}.
     * @param inst the JVM's instrumentation.
     */
    public static void premain(final String args, final Instrumentation inst)
    {
        start(args, inst);
    }

    /**
     * @param args agent arguments, {@code key=value,...}.
     * @param inst the JVM's instrumentation.
     */
    public static void agentmain(final String args, final Instrumentation inst)
    {
        start(args, inst);
    }

    private static synchronized void start(final String args, final Instrumentation inst)
    {
        if (started)
        {
            return;
        }
        started = true;
        try
        {
            final AgentConfig config = AgentConfig.load(args, System.getProperties(), System.getenv());
            if (!config.enabled())
            {
                return;
            }
            openInternals(inst);
            if (!defineBridge())
            {
                appendBridge(inst);
            }
            AgentWiring.start(config, inst);
        }
        catch (final ConfigException ex)
        {
            System.err.println("[sextant] agent off: " + ex.getMessage());
        }
        catch (final Throwable t)
        {
            System.err.println("[sextant] agent off: could not start: " + t);
        }
    }

    private static void openInternals(final Instrumentation inst)
    {
        final Module agent = SextantAgent.class.getModule();
        final Module base = Object.class.getModule();
        if (!base.isExported("jdk.internal.misc", agent))
        {
            inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(agent)),
                Map.of("java.nio", Set.of(agent)), Set.of(), Map.of());
        }
    }

    /**
     * Exports {@code sun.management} to the agent for HotSpot's safepoint counters, read when JFR does
     * not run ({@code jvm/HotspotCounters}). Called on the sender thread before it builds the JVM
     * metrics, not in {@code premain}: only that thread reads them.
     *
     * @param inst the JVM's instrumentation.
     */
    static void openManagement(final Instrumentation inst)
    {
        final Module agent = SextantAgent.class.getModule();
        final Module management = ModuleLayer.boot().findModule("java.management").orElse(null);
        if (management != null && !management.isExported("sun.management", agent))
        {
            inst.redefineModule(management, Set.of(), Map.of("sun.management", Set.of(agent)), Map.of(), Set.of(),
                Map.of());
        }
    }

    /**
     * Defines the bridge classes in the bootstrap class loader directly (the JDK's internal
     * {@code Unsafe.defineClass} with no loader, reachable once {@link #openInternals} has exported
     * its package to the agent). Cheaper than {@link #appendBridge}: no temporary jar (whose random
     * name and entry times load SecureRandom and java.time), and the JVM keeps using its class data
     * sharing archive for application classes, which it stops doing once the bootstrap search path
     * is appended.
     *
     * @return false when this JVM does not allow it (the caller then appends a jar).
     */
    private static boolean defineBridge()
    {
        try
        {
            final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            final Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            final java.lang.reflect.Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class,
                int.class, int.class, ClassLoader.class, java.security.ProtectionDomain.class);
            for (final String resource : BRIDGE_CLASSES)
            {
                final String name = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                if (definedInBootstrap(name))
                {
                    continue;
                }
                final byte[] bytes;
                try (InputStream in = SextantAgent.class.getClassLoader().getResourceAsStream(resource))
                {
                    if (in == null)
                    {
                        throw new IOException("agent jar lacks " + resource);
                    }
                    bytes = in.readAllBytes();
                }
                define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            }
            return true;
        }
        catch (final Throwable t)
        {
            return false;
        }
    }

    private static boolean definedInBootstrap(final String name)
    {
        try
        {
            Class.forName(name, false, null);
            return true;
        }
        catch (final ClassNotFoundException ex)
        {
            return false;
        }
    }

    private static void appendBridge(final Instrumentation inst) throws IOException
    {
        final Path jar = Files.createTempFile("sextant-bridge-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            for (final String name : BRIDGE_CLASSES)
            {
                try (InputStream in = SextantAgent.class.getClassLoader().getResourceAsStream(name))
                {
                    if (in == null)
                    {
                        throw new IOException("agent jar lacks " + name);
                    }
                    out.putNextEntry(new JarEntry(name));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }
}
