package io.sextant.agent.logs;

import io.sextant.agent.instrument.AdviceKit;
import net.bytebuddy.asm.Advice;

import java.lang.instrument.ClassFileTransformer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Byte Buddy advice for Logback's and Log4j 2's loggers. Kept apart from {@link LogCapture}, which
 * {@code premain} uses, so that nothing of Byte Buddy is loaded (or verified) until one of these
 * libraries loads.
 */
public final class LibraryCapture
{
    private LibraryCapture()
    {
    }

    /**
     * Builds the Byte Buddy transformer for Logback's and Log4j 2's loggers (not registered: the
     * capture transformer calls it for those two classes only).
     *
     * @return the transformer.
     */
    public static ClassFileTransformer transformer()
    {
        final AdviceKit kit = new AdviceKit(LibraryCapture.class.getClassLoader());
        final Advice logback = kit.advice(LogbackAdvice.class.getName());
        final Advice log4j = kit.advice(Log4jAdvice.class.getName());
        final Advice log4jLocation = kit.advice(Log4jLocationAdvice.class.getName());
        return AdviceKit.builder("log capture", (type, loader) ->
            {
                if (loader != null)
                {
                    LogCapture.remember(type.getName(), loader);
                }
            })
            .ignore(not(named(LogCapture.LOGBACK_LOGGER).or(named(LogCapture.LOG4J_LOGGER))))
            .type(named(LogCapture.LOGBACK_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(logback.on(named("callAppenders").and(takesArguments(1)))))
            .type(named(LogCapture.LOG4J_LOGGER))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(log4j.on(named("logMessage").and(takesArguments(5))))
                    .visit(log4jLocation.on(named("log").and(takesArguments(6))
                        .and(takesArgument(3, named("java.lang.StackTraceElement"))))))
            .makeRaw();
    }
}
