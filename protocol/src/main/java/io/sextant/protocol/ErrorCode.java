package io.sextant.protocol;

/**
 * Reason codes carried by a NACK frame and by {@link ProtocolException}. Codes are stable wire
 * values: new codes may be added, existing ones never change meaning.
 */
public enum ErrorCode
{
    /** A field ran past the end of the frame, a varint was too long, or a value is out of range. */
    MALFORMED(1),
    /** The frame length exceeds the receiver's maximum frame length. */
    FRAME_TOO_LARGE(2),
    /** The frame does not start with the Sextant magic: the peer does not speak this protocol. */
    BAD_MAGIC(3),
    /** The frame's protocol version is not one the receiver understands. */
    UNSUPPORTED_VERSION(4),
    /** The frame's message type is not one the receiver understands. */
    UNKNOWN_TYPE(5),
    /** The CRC32C in the header does not match the frame's contents. */
    CRC_MISMATCH(6),
    /** A data frame arrived before a successful HELLO/WELCOME handshake. */
    HANDSHAKE_REQUIRED(7),
    /** The HELLO carried a missing or wrong token. */
    AUTH_FAILED(8),
    /** A sequence number skipped ahead of the next expected one. */
    SEQUENCE_GAP(9),
    /** A sample referred to a series id that was not defined on this connection. */
    UNKNOWN_SERIES(10),
    /** A count or size limit was exceeded (series per connection, labels per series, string length). */
    LIMIT_EXCEEDED(11),
    /** The receiver is overloaded; the sender should retry later. */
    OVERLOADED(12),
    /** The receiver failed internally (for example the journal could not be written). */
    INTERNAL_ERROR(13),
    /** A series id was defined again with a different name, kind or labels. */
    CONFLICTING_DEFINITION(14),
    /** A message that is valid in general is not allowed in this direction or state. */
    UNEXPECTED_MESSAGE(15);

    private static final ErrorCode[] BY_CODE = new ErrorCode[16];

    static
    {
        for (final ErrorCode code : values())
        {
            BY_CODE[code.code] = code;
        }
    }

    private final int code;

    ErrorCode(final int code)
    {
        this.code = code;
    }

    /**
     * @return the value written on the wire.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a wire value.
     * @return the matching error code, or {@code null} when the code is unknown to this version.
     */
    public static ErrorCode of(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
