package io.sextant.protocol;

/**
 * How a metric sample's value is written (the low three bits of the sample head byte).
 */
public enum ValueEncoding
{
    /** The value is 0: no value bytes follow. */
    ZERO(0),
    /** An integral value below 2^53 in magnitude, as a zig-zag varint. */
    INT(1),
    /** Any double, as 8 little-endian IEEE 754 bytes. */
    FLOAT64(2),
    /** A double exactly representable as a float, as 4 little-endian IEEE 754 bytes. */
    FLOAT32(3),
    /** A varint length and an HdrHistogram V2 encoding (uncompressed) of the interval's histogram. */
    HISTOGRAM(4);

    private static final ValueEncoding[] BY_CODE = new ValueEncoding[5];

    static
    {
        for (final ValueEncoding value : values())
        {
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    ValueEncoding(final int code)
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
    public static ValueEncoding of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
