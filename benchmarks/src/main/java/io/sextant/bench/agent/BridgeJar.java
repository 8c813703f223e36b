package io.sextant.bench.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Writes a jar of the agent's two bootstrap bridge classes, as the agent's {@code premain} does
 * before appending it to the bootstrap class path. {@code benchmarks/run micro} hands the JMH forks
 * {@code -Xbootclasspath/a:} with it, so that {@code sextant-api} binds to the agent exactly as in an
 * application: {@code Class.forName("io.sextant.agent.bridge.SextantBridge", false, null)}.
 *
 * <p>Usage: {@code BridgeJar <jar to write>}; prints the jar's absolute path.
 */
public final class BridgeJar
{
    static final String[] CLASSES = {
        "io/sextant/agent/bridge/SextantBridge.class", "io/sextant/agent/bridge/LogBridge.class"};

    private BridgeJar()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: BridgeJar <jar to write>");
            System.exit(2);
        }
        final Path jar = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            for (final String name : CLASSES)
            {
                try (InputStream in = BridgeJar.class.getClassLoader().getResourceAsStream(name))
                {
                    if (in == null)
                    {
                        throw new IOException("the benchmarks jar lacks " + name + ": rebuild it");
                    }
                    out.putNextEntry(new JarEntry(name));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        System.out.println(jar);
    }
}
