package io.sextant.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints the Sextant JVM flags ({@code sextant.jvm.flags} of the parent pom, copied into this jar
 * when it is built) so that {@code benchmarks/run} can hand them to every JVM it starts, JMH's
 * forks included ({@code -jvmArgsAppend}).
 */
public final class JvmFlags
{
    private JvmFlags()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        System.out.println(flags());
    }

    /**
     * @return the flags, separated by single spaces.
     */
    public static String flags() throws IOException
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.txt"))
        {
            if (in == null)
            {
                throw new IllegalStateException("jvm-flags.txt is missing from the jar: rebuild the benchmarks module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
