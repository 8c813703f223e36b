package io.sextant.agent.logs;

import io.sextant.agent.bridge.LogBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code ch.qos.logback.classic.Logger#callAppenders(ILoggingEvent)}, which
 * Logback calls once per event that passed the level check. Compiled against Logback but never
 * loaded by the agent: Byte Buddy copies the byte code into Logback's class, where the Logback
 * types resolve in Logback's own class loader. Any failure is suppressed.
 */
final class LogbackAdvice
{
    private LogbackAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) final Object argument)
    {
        final LogBridge sink = LogBridge.sink;
        if (sink == null)
        {
            return;
        }
        final ch.qos.logback.classic.spi.ILoggingEvent event = (ch.qos.logback.classic.spi.ILoggingEvent)argument;
        final int level = LogBridge.fromLogback(event.getLevel().toInt());
        if (!sink.wants(level))
        {
            return;
        }
        Throwable thrown = null;
        String thrownClass = null;
        final ch.qos.logback.classic.spi.IThrowableProxy proxy = event.getThrowableProxy();
        if (proxy instanceof ch.qos.logback.classic.spi.ThrowableProxy)
        {
            thrown = ((ch.qos.logback.classic.spi.ThrowableProxy)proxy).getThrowable();
        }
        else if (proxy != null)
        {
            thrownClass = proxy.getClassName();
        }
        final java.util.Map<String, String> mdc = event.getMDCPropertyMap();
        sink.record(event.getTimeStamp(), level, event.getLoggerName(), event.getThreadName(), event.getMessage(),
            event.getFormattedMessage(), thrown, thrownClass, mdc == null ? null : mdc.get("trace_id"),
            mdc == null ? null : mdc.get("span_id"));
    }
}
