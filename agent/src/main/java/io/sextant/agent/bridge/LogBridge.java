package io.sextant.agent.bridge;

/**
 * Where captured log events go. Lives on the bootstrap class path next to {@link SextantBridge}
 * because the capture code is inserted into {@code java.util.logging} (a call to {@link #jul}),
 * Logback and Log4j 2 (Byte Buddy advice) classes, which may be loaded by any class loader (or, for JUL, by the bootstrap loader itself);
 * the bootstrap loader is the only one all of them can see.
 *
 * <p>{@link #sink} is written once by the agent and read by application threads inside logging
 * calls. Implementations must never throw, block or log.
 */
public abstract class LogBridge
{
    /** Protocol level codes: TRACE 1, DEBUG 2, INFO 3, WARN 4, ERROR 5, FATAL 6. */
    public static final int TRACE = 1;
    public static final int DEBUG = 2;
    public static final int INFO = 3;
    public static final int WARN = 4;
    public static final int ERROR = 5;
    public static final int FATAL = 6;

    /** The agent's sink, or null when no agent captures logs. */
    public static volatile LogBridge sink;

    /**
     * The first Log4j 2 core {@code Logger} seen logging: its {@code LoggerContext} is the application's,
     * which the log-level command needs (Log4j picks contexts by caller, and the agent is not the caller).
     */
    public static volatile Object log4jLogger;

    /**
     * @param level a protocol level code.
     * @return true when a record at this level would be captured now (cheap; called first).
     */
    public abstract boolean wants(int level);

    /**
     * Captures one log event.
     *
     * @param epochMillis event time.
     * @param level       protocol level code.
     * @param logger      logger name.
     * @param thread      thread name.
     * @param pattern     the unformatted message, for example {@code User {} logged in}.
     * @param message     the formatted message.
     * @param thrown      the attached throwable, or null.
     * @param thrownClass the throwable's class name when only that is known, or null.
     * @param traceId     trace id (32 hex digits) from the MDC, or null.
     * @param spanId      span id (16 hex digits) from the MDC, or null.
     */
    public abstract void record(
        long epochMillis, int level, String logger, String thread, String pattern, String message,
        Throwable thrown, String thrownClass, String traceId, String spanId);

    /**
     * Called first thing in {@code java.util.logging.Logger.log(LogRecord)} (inserted by the agent's
     * class file transformer): hands the record to the sink when the logger would log it. Never throws.
     *
     * @param self   the logger.
     * @param record the record being logged.
     */
    public static void jul(final java.util.logging.Logger self, final java.util.logging.LogRecord record)
    {
        final LogBridge target = sink;
        if (target == null || record == null)
        {
            return;
        }
        try
        {
            final java.util.logging.Level julLevel = record.getLevel();
            if (julLevel == null || !self.isLoggable(julLevel))
            {
                return;
            }
            final int level = fromJul(julLevel.intValue());
            if (!target.wants(level))
            {
                return;
            }
            final String pattern = record.getMessage();
            final Object[] parameters = record.getParameters();
            String message = pattern;
            if (pattern != null && parameters != null && parameters.length > 0 && pattern.indexOf('{') >= 0)
            {
                try
                {
                    message = java.text.MessageFormat.format(pattern, parameters);
                }
                catch (final IllegalArgumentException ex)
                {
                    message = pattern;
                }
            }
            target.record(record.getMillis(), level, record.getLoggerName(), Thread.currentThread().getName(),
                pattern, message, record.getThrown(), null, null, null);
        }
        catch (final Throwable ignored)
        {
            // the application's logging call goes on as if the agent were not there
        }
    }

    /**
     * @param logbackLevel Logback's {@code Level.toInt()}.
     * @return the protocol level code.
     */
    public static int fromLogback(final int logbackLevel)
    {
        return logbackLevel >= 40000 ? ERROR : logbackLevel >= 30000 ? WARN : logbackLevel >= 20000 ? INFO :
            logbackLevel >= 10000 ? DEBUG : TRACE;
    }

    /**
     * @param log4jIntLevel Log4j 2's {@code Level.intLevel()} (smaller is more severe).
     * @return the protocol level code.
     */
    public static int fromLog4j(final int log4jIntLevel)
    {
        return log4jIntLevel <= 100 ? FATAL : log4jIntLevel <= 200 ? ERROR : log4jIntLevel <= 300 ? WARN :
            log4jIntLevel <= 400 ? INFO : log4jIntLevel <= 500 ? DEBUG : TRACE;
    }

    /**
     * @param julLevel {@code java.util.logging.Level.intValue()}.
     * @return the protocol level code.
     */
    public static int fromJul(final int julLevel)
    {
        return julLevel >= 1000 ? ERROR : julLevel >= 900 ? WARN : julLevel >= 800 ? INFO :
            julLevel >= 500 ? DEBUG : TRACE;
    }
}
