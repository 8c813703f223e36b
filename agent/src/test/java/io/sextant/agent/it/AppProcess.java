package io.sextant.agent.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM started with {@code ProcessBuilder}: the JVM running the tests ({@code java.home}),
 * the flags from system property {@code sextant.jvm.flags} (unless asked not to), optionally
 * {@code -javaagent} with the shaded agent jar, stdout and stderr together in a file.
 */
final class AppProcess implements AutoCloseable
{
    private final Process process;
    private final Path output;

    private AppProcess(final Process process, final Path output)
    {
        this.process = process;
        this.output = output;
    }

    static Path agentJar()
    {
        return Path.of(System.getProperty("sextant.it.agent-jar", "target/sextant-agent.jar")).toAbsolutePath();
    }

    static String location(final Class<?> type)
    {
        try
        {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static AppProcess start(final boolean jvmFlags, final String agentArgs, final List<String> classPath,
        final String mainClass, final String... args)
    {
        return start(List.of(), jvmFlags, agentArgs, classPath, mainClass, args);
    }

    static AppProcess start(final List<String> jvmOptions, final boolean jvmFlags, final String agentArgs,
        final List<String> classPath, final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        if (jvmFlags)
        {
            for (final String flag : System.getProperty("sextant.jvm.flags", "").split("\\s+"))
            {
                if (!flag.isBlank())
                {
                    command.add(flag);
                }
            }
        }
        if (agentArgs != null)
        {
            command.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        try
        {
            final Path output = Files.createTempFile("sextant-it-", ".log");
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            return new AppProcess(process, output);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    String output()
    {
        try
        {
            return Files.readString(output);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    int waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("application did not finish in " + seconds + "s; output:\n" + output());
        }
        return process.exitValue();
    }

    long pid()
    {
        return process.pid();
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(output);
        }
        catch (final Exception ex)
        {
            // best effort
        }
    }
}
