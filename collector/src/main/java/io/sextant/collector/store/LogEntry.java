package io.sextant.collector.store;

import java.util.Map;

/**
 * One stored log record. Immutable.
 *
 * @param timeNanos      Unix epoch nanoseconds.
 * @param service        service that logged it.
 * @param agent          agent id, or the OTLP resource's instance id, or empty.
 * @param level          TRACE, DEBUG, INFO, WARN, ERROR or FATAL.
 * @param logger         logger name.
 * @param thread         thread name.
 * @param template       the unformatted pattern ("User {} logged in"), or empty.
 * @param message        the formatted message.
 * @param exceptionClass class of the attached throwable, or empty.
 * @param traceId        hex trace id, or empty.
 * @param spanId         hex span id, or empty.
 * @param attributes     further attributes.
 */
public record LogEntry(
    long timeNanos, String service, String agent, String level, String logger, String thread, String template,
    String message, String exceptionClass, String traceId, String spanId, Map<String, String> attributes)
{
    /** Levels in increasing severity. */
    public static final java.util.List<String> LEVELS = java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR",
        "FATAL");

    /**
     * @param level a level name.
     * @return its rank in {@link #LEVELS}, or -1.
     */
    public static int rank(final String level)
    {
        return LEVELS.indexOf(level);
    }
}
