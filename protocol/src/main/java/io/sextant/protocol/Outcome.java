package io.sextant.protocol;

/**
 * Whether an inference succeeded.
 */
public enum Outcome
{
    /** The model returned a prediction. */
    OK(0),
    /** The model call failed. */
    ERROR(1);

    private static final Outcome[] BY_CODE = new Outcome[2];

    static
    {
        for (final Outcome value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    Outcome(final int code)
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
    public static Outcome of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
