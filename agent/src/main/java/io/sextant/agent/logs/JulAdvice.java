package io.sextant.agent.logs;

import io.sextant.agent.bridge.LogBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code java.util.logging.Logger#log(LogRecord)}, where every JUL
 * convenience method ends up. Reaches the agent through the bootstrap {@link LogBridge}; the
 * agent adds a read edge from {@code java.logging} to the bridge's module first. The message is
 * formatted with {@code MessageFormat} only when the record is captured. Any failure is
 * suppressed.
 */
final class JulAdvice
{
    private JulAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This final java.util.logging.Logger self,
        @Advice.Argument(0) final java.util.logging.LogRecord record)
    {
        final LogBridge sink = LogBridge.sink;
        if (sink == null || record == null || !self.isLoggable(record.getLevel()))
        {
            return;
        }
        final int level = LogBridge.fromJul(record.getLevel().intValue());
        if (!sink.wants(level))
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
        sink.record(record.getMillis(), level, record.getLoggerName(), Thread.currentThread().getName(), pattern,
            message, record.getThrown(), null, null, null);
    }
}
