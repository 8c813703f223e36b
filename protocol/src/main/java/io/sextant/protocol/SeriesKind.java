package io.sextant.protocol;

/**
 * Kind of a metric series, fixed when the series is defined.
 */
public enum SeriesKind
{
    /** Monotonic cumulative count since the series started. */
    COUNTER(1),
    /** A value sampled at a point in time. */
    GAUGE(2),
    /** A distribution, sent as HdrHistogram interval snapshots. */
    HISTOGRAM(3);

    private static final SeriesKind[] BY_CODE = new SeriesKind[4];

    static
    {
        for (final SeriesKind value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    SeriesKind(final int code)
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
    public static SeriesKind of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
