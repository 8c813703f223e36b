package io.sextant.agent;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's own logger: one line to stderr per message, prefixed {@code [sextant]}, at most
 * {@link #MAX_LINES} lines per JVM so that a persistent failure cannot flood the application's
 * output. Never touches the application's logging libraries. Any thread; off the hot path.
 */
public final class AgentLog
{
    static final int MAX_LINES = 50;
    private static final AtomicInteger LINES = new AtomicInteger();
    private static volatile PrintStream out = System.err;

    private AgentLog()
    {
    }

    /**
     * @param message one line.
     */
    public static void info(final String message)
    {
        if (LINES.incrementAndGet() <= MAX_LINES)
        {
            out.println("[sextant] " + message);
        }
    }

    /**
     * @param message what failed.
     * @param error   why.
     */
    public static void error(final String message, final Throwable error)
    {
        info(message + ": " + error);
    }
}
