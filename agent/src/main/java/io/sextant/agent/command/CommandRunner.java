package io.sextant.agent.command;

import io.sextant.agent.bridge.LogBridge;
import io.sextant.agent.logs.LogCapture;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.CommandStatus;

import javax.management.ObjectName;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Carries out a collector's COMMAND and describes the outcome. Every command is read-only except
 * SET_LOG_LEVEL, which changes only the level of the named logger in the logging library the
 * application uses (JUL, Logback or Log4j 2). Output is cut to fit one frame.
 *
 * <p>Runs on the sender thread; a heap histogram pauses the JVM briefly (like {@code jcmd
 * GC.class_histogram}).
 */
public final class CommandRunner
{
    /** Most characters of output; keeps the UTF-8 result inside a 64 KiB field. */
    public static final int MAX_OUTPUT_CHARS = 20_000;
    private static final int MAX_JUL_LOGGERS_KEPT = 256;
    /** JUL loggers whose level a command set, kept reachable; sender thread only. */
    private static final java.util.Map<String, java.util.logging.Logger> JUL_LEVELS_SET = new java.util.HashMap<>();

    private CommandRunner()
    {
    }

    /**
     * @param command the command.
     * @return its result; never throws.
     */
    public static CommandResult run(final Command command)
    {
        try
        {
            return switch (command.kind())
            {
                case THREAD_DUMP -> ok(command, threadDump());
                case HEAP_HISTOGRAM -> ok(command, heapHistogram());
                case SET_LOG_LEVEL -> setLogLevel(command);
            };
        }
        catch (final Throwable t)
        {
            return new CommandResult(command.commandId(), CommandStatus.FAILED, false, String.valueOf(t));
        }
    }

    private static CommandResult ok(final Command command, final String output)
    {
        final boolean truncated = output.length() > MAX_OUTPUT_CHARS;
        return new CommandResult(command.commandId(), CommandStatus.OK, truncated,
            truncated ? output.substring(0, MAX_OUTPUT_CHARS) : output);
    }

    /**
     * Every live thread with its stack. When the full dump would not fit in {@link #MAX_OUTPUT_CHARS},
     * each thread's stack is cut to fewer frames (32, 16, 8, 4, 2, then none) until it does, so that
     * a deep stack never pushes the threads after it out of the result.
     */
    static String threadDump()
    {
        final ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        String dump = threadDump(threads, Integer.MAX_VALUE);
        for (int frames = 32; dump.length() > MAX_OUTPUT_CHARS && frames >= 0;
            frames = frames > 2 ? frames / 2 : frames - 2)
        {
            dump = threadDump(threads, frames);
        }
        return dump;
    }

    private static String threadDump(final ThreadInfo[] threads, final int maxFrames)
    {
        final StringBuilder out = new StringBuilder(16 * 1024);
        for (final ThreadInfo info : threads)
        {
            out.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId())
                .append(info.isDaemon() ? " daemon" : "").append(" state=").append(info.getThreadState());
            if (info.getLockName() != null)
            {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null)
            {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            final StackTraceElement[] frames = info.getStackTrace();
            final MonitorInfo[] monitors = info.getLockedMonitors();
            final int shown = Math.min(frames.length, maxFrames);
            for (int i = 0; i < shown; i++)
            {
                out.append("\tat ").append(frames[i]).append('\n');
                for (final MonitorInfo monitor : monitors)
                {
                    if (monitor.getLockedStackDepth() == i)
                    {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            if (shown < frames.length)
            {
                out.append("\t... ").append(frames.length - shown).append(" more frames\n");
            }
            for (final LockInfo lock : info.getLockedSynchronizers())
            {
                out.append("\t- locked synchronizer ").append(lock).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String heapHistogram() throws Exception
    {
        final Object result = ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return String.valueOf(result);
    }

    private static CommandResult setLogLevel(final Command command) throws Exception
    {
        final String logger = command.arguments().getOrDefault("logger", "");
        final String level = command.arguments().getOrDefault("level", "").toUpperCase(Locale.ROOT);
        if (level.isEmpty())
        {
            return new CommandResult(command.commandId(), CommandStatus.REJECTED, false,
                "SET_LOG_LEVEL needs arguments logger (empty for root) and level");
        }
        final StringBuilder done = new StringBuilder();
        final ClassLoader logback = LogCapture.loaderOf("ch.qos.logback.classic.Logger");
        if (logback != null)
        {
            final Object factory = Class.forName("org.slf4j.LoggerFactory", true, logback)
                .getMethod("getILoggerFactory").invoke(null);
            final Object target = factory.getClass().getMethod("getLogger", String.class)
                .invoke(factory, logger.isEmpty() ? "ROOT" : logger);
            final Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true, logback);
            final Object value = levelClass.getMethod("toLevel", String.class).invoke(null, level);
            target.getClass().getMethod("setLevel", levelClass).invoke(target, value);
            done.append("logback ");
        }
        final ClassLoader log4j = LogCapture.loaderOf("org.apache.logging.log4j.core.Logger");
        if (log4j != null)
        {
            final Class<?> levelClass = Class.forName("org.apache.logging.log4j.Level", true, log4j);
            final Object value = levelClass.getMethod("toLevel", String.class).invoke(null, level);
            // The application's LoggerContext, taken from a logger the application used: Log4j chooses contexts
            // by the calling class, and here the caller would be the agent.
            final Object seen = LogBridge.log4jLogger;
            final Object context = seen != null ? seen.getClass().getMethod("getContext").invoke(seen) :
                Class.forName("org.apache.logging.log4j.LogManager", true, log4j)
                    .getMethod("getContext", ClassLoader.class, boolean.class).invoke(null, log4j, false);
            final Object target = context.getClass().getMethod("getLogger", String.class).invoke(context, logger);
            final Method set = target.getClass().getMethod("setLevel", levelClass);
            set.invoke(target, value);
            done.append("log4j2 (").append(target.getClass().getMethod("getLevel").invoke(target)).append(" in ")
                .append(context).append(seen == null ? ", no logger seen yet" : "").append(") ");
        }
        // java.util.logging: always when the application uses no other library, and also next to Logback or Log4j
        // when the application has a JUL logger of that name (some libraries log through JUL).
        final java.util.logging.Logger julLogger = java.util.logging.LogManager.getLogManager().getLogger(logger);
        if (done.length() == 0 || julLogger != null)
        {
            final java.util.logging.Logger target = julLogger != null ? julLogger :
                java.util.logging.Logger.getLogger(logger);
            target.setLevel(java.util.logging.Level.parse(julLevel(level)));
            // JUL holds loggers weakly: a level set on a logger nobody references yet would be lost with it.
            if (JUL_LEVELS_SET.size() < MAX_JUL_LOGGERS_KEPT || JUL_LEVELS_SET.containsKey(logger))
            {
                JUL_LEVELS_SET.put(logger, target);
            }
            done.append("jul ");
        }
        return new CommandResult(command.commandId(), CommandStatus.OK, false,
            "level of '" + logger + "' set to " + level + " in " + done.toString().trim());
    }

    private static String julLevel(final String level)
    {
        return switch (level)
        {
            case "TRACE" -> "FINEST";
            case "DEBUG" -> "FINE";
            case "WARN" -> "WARNING";
            case "ERROR", "FATAL" -> "SEVERE";
            default -> level;
        };
    }
}
