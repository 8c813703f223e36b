package io.sextant.protocol;

/**
 * Outcome of a command.
 */
public enum CommandStatus
{
    /** Carried out: the output holds the result. */
    OK(0),
    /** Tried and failed: the output says why. */
    FAILED(1),
    /** Refused by the agent's configuration. */
    REJECTED(2),
    /** The agent does not know this command. */
    UNSUPPORTED(3);

    private static final CommandStatus[] BY_CODE = new CommandStatus[4];

    static
    {
        for (final CommandStatus value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    CommandStatus(final int code)
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
    public static CommandStatus of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
