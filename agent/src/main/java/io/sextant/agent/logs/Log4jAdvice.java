package io.sextant.agent.logs;

import io.sextant.agent.bridge.LogBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of Log4j 2's {@code org.apache.logging.log4j.core.Logger#logMessage(String,
 * Level, Marker, Message, Throwable)}, which the API calls once per enabled event. Compiled against
 * Log4j but never loaded by the agent (see {@link LogbackAdvice}). Any failure is suppressed.
 */
final class Log4jAdvice
{
    private Log4jAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This final Object self, @Advice.Argument(1) final Object levelArgument,
        @Advice.Argument(3) final Object messageArgument, @Advice.Argument(4) final Throwable thrown)
    {
        final LogBridge sink = LogBridge.sink;
        if (sink == null || levelArgument == null || messageArgument == null)
        {
            return;
        }
        if (LogBridge.log4jLogger == null)
        {
            LogBridge.log4jLogger = self;
        }
        final int level = LogBridge.fromLog4j(((org.apache.logging.log4j.Level)levelArgument).intLevel());
        if (!sink.wants(level))
        {
            return;
        }
        final org.apache.logging.log4j.message.Message message = (org.apache.logging.log4j.message.Message)messageArgument;
        final Throwable t = thrown != null ? thrown : message.getThrowable();
        sink.record(System.currentTimeMillis(), level, ((org.apache.logging.log4j.core.Logger)self).getName(),
            Thread.currentThread().getName(), message.getFormat(), message.getFormattedMessage(), t, null,
            org.apache.logging.log4j.ThreadContext.get("trace_id"), org.apache.logging.log4j.ThreadContext.get("span_id"));
    }
}
