package io.sextant.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What every harness needs around its measurement: the commit it measured, the process's CPU time,
 * and cleaning up its temporary folders.
 */
public final class Harnesses
{
    private Harnesses()
    {
    }

    /**
     * @return the commit {@code benchmarks/run} passed ({@code sextant.bench.commit}, marked {@code +dirty}
     *         when the tree had changes), else {@code git rev-parse HEAD}, else {@code unknown}.
     */
    public static String commit()
    {
        final String given = System.getProperty("sextant.bench.commit");
        if (given != null && !given.isBlank())
        {
            return given;
        }
        try
        {
            final Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream())
            {
                final String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                return p.waitFor() == 0 ? s : "unknown";
            }
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * @return CPU time of this whole process (every thread, generator included), nanoseconds.
     */
    public static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /**
     * Deletes a temporary folder and everything in it; failures are ignored.
     */
    public static void deleteQuietly(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignore)
        {
            // a temporary folder
        }
    }
}
