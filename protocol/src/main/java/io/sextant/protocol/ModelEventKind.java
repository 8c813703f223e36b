package io.sextant.protocol;

/**
 * What happened to a model version.
 */
public enum ModelEventKind
{
    /** A version was registered with its dataset, parameters and training metrics. */
    REGISTER(1),
    /** A version started serving. */
    DEPLOY(2),
    /** A version was promoted to a stage (for example production). */
    PROMOTE(3),
    /** A stage was rolled back to an earlier version. */
    ROLLBACK(4);

    private static final ModelEventKind[] BY_CODE = new ModelEventKind[5];

    static
    {
        for (final ModelEventKind value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    ModelEventKind(final int code)
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
    public static ModelEventKind of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
