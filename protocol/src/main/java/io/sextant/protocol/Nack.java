package io.sextant.protocol;

/**
 * NACK: a frame or a whole connection was refused.
 *
 * @param refusedSequence sequence of the refused frame, or 0 when the NACK is not about one frame.
 * @param reasonCode      the wire value of an {@link ErrorCode}; receivers treat unknown values as
 *                        {@link ErrorCode#INTERNAL_ERROR}.
 * @param closing         true when the sender closes the connection after this NACK.
 * @param text            what was wrong, for a human.
 */
public record Nack(long refusedSequence, int reasonCode, boolean closing, String text)
{
    public Nack(final long refusedSequence, final ErrorCode code, final boolean closing, final String text)
    {
        this(refusedSequence, code.code(), closing, text);
    }

    /**
     * @return the reason, or {@link ErrorCode#INTERNAL_ERROR} for a code this version does not know.
     */
    public ErrorCode reason()
    {
        final ErrorCode code = ErrorCode.of(reasonCode);
        return code == null ? ErrorCode.INTERNAL_ERROR : code;
    }

    public void encode(final WireWriter writer)
    {
        writer.putLong(refusedSequence).putShort(reasonCode).putByte(closing ? 1 : 0)
            .putStringTruncated(text, 4096);
    }

    public static Nack decode(final WireReader reader)
    {
        return new Nack(reader.getLong("refusedSequence"), reader.getUShort("reasonCode"),
            reader.getUByte("closing") != 0, reader.getString("text"));
    }
}
