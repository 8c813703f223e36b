package io.sextant.protocol;

/**
 * Actions the collector can ask an agent to carry out.
 */
public enum CommandKind
{
    /** Dump all thread stacks. */
    THREAD_DUMP(1),
    /** Count live objects by class. */
    HEAP_HISTOGRAM(2),
    /** Change a logger's level (arguments logger and level). */
    SET_LOG_LEVEL(3);

    private static final CommandKind[] BY_CODE = new CommandKind[4];

    static
    {
        for (final CommandKind value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    CommandKind(final int code)
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
    public static CommandKind of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
