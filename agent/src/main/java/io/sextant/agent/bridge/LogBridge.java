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
                message = simpleFormat(pattern, parameters);
                if (message == null)
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
     * What {@code MessageFormat.format(pattern, parameters)} returns, for the common case it can be
     * done without building a {@code MessageFormat} (which parses the pattern and looks up the locale's
     * formats on every call, a few microseconds, on top of the same work done by the application's own
     * handler): every placeholder is a plain {@code {index}}, the pattern has no quote, and every
     * parameter a placeholder uses is a string, a character, a boolean or null. Anything else (numbers
     * and dates are formatted for the locale, {@code {0,number}} and quotes change the parsing) is left
     * to {@code MessageFormat}.
     *
     * @param pattern    the pattern.
     * @param parameters its parameters.
     * @return the formatted message, or null when this case is not the simple one.
     */
    public static String simpleFormat(final String pattern, final Object[] parameters)
    {
        final int n = pattern.length();
        if (pattern.indexOf('\'') >= 0 || n > 4096)
        {
            return null;
        }
        final StringBuilder out = new StringBuilder(n + 32);
        int i = 0;
        while (i < n)
        {
            final char c = pattern.charAt(i);
            if (c == '}')
            {
                return null; // an unmatched closing brace: MessageFormat's own rules
            }
            if (c != '{')
            {
                out.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            int index = 0;
            while (j < n && j - i <= 4 && pattern.charAt(j) >= '0' && pattern.charAt(j) <= '9')
            {
                index = index * 10 + (pattern.charAt(j) - '0');
                j++;
            }
            if (j == i + 1 || j >= n || pattern.charAt(j) != '}')
            {
                return null; // {0,number}, {name}, {, or an unterminated brace
            }
            if (index >= parameters.length)
            {
                out.append('{').append(index).append('}');
            }
            else
            {
                final Object value = parameters[index];
                if (value == null || value instanceof String || value instanceof Character || value instanceof Boolean)
                {
                    out.append(value);
                }
                else
                {
                    return null;
                }
            }
            i = j + 1;
        }
        return out.toString();
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
