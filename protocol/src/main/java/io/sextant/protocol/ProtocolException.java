package io.sextant.protocol;

/**
 * Thrown by every decoder in this package when input does not follow {@code SPEC.md}. It is the
 * only exception a decoder throws on bad input: a receiver catches it, answers with a NACK
 * carrying {@link #code()} and {@link #getMessage()}, and closes only the offending connection.
 * Stack traces are not filled in: the message says what was wrong, and corrupt input must be cheap
 * to refuse.
 */
public final class ProtocolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * @param code    the reason, as sent in a NACK.
     * @param message what exactly was wrong, for a human.
     */
    public ProtocolException(final ErrorCode code, final String message)
    {
        super(message, null, false, false);
        this.code = code;
    }

    /**
     * @return the reason code for the NACK.
     */
    public ErrorCode code()
    {
        return code;
    }

    @Override
    public String toString()
    {
        return "ProtocolException{" + code + ": " + getMessage() + '}';
    }
}
