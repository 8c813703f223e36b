package io.sextant.protocol;

/**
 * Severity of a log record, mapped from whatever the logging library uses.
 */
public enum LogLevel
{
    /** Finest detail. */
    TRACE(1),
    /** Diagnostic detail. */
    DEBUG(2),
    /** Normal operation. */
    INFO(3),
    /** Something unexpected that was handled. */
    WARN(4),
    /** An operation failed. */
    ERROR(5),
    /** The application cannot continue. */
    FATAL(6);

    private static final LogLevel[] BY_CODE = new LogLevel[7];

    static
    {
        for (final LogLevel value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    LogLevel(final int code)
    {
        this.code = code;
    }

    /**
     * @return the wire value.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a wire value.
     * @return the constant, or {@code null} when the code is unknown to this version.
     */
    public static LogLevel of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
