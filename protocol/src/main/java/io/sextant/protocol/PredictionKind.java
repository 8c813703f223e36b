package io.sextant.protocol;

/**
 * Shape of a prediction or label value.
 */
public enum PredictionKind
{
    /** No value. */
    NONE(0),
    /** A class label, as a string. */
    CLASS(1),
    /** A number, as a double. */
    NUMBER(2);

    private static final PredictionKind[] BY_CODE = new PredictionKind[3];

    static
    {
        for (final PredictionKind value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    PredictionKind(final int code)
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
    public static PredictionKind of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
