package io.sextant.protocol;

/**
 * HEARTBEAT payload: two int64 fields, {@code sentAtNanos} (the sender's clock) and
 * {@code echoNanos} (the {@code sentAtNanos} of the last heartbeat received from the peer, or 0),
 * which lets each side measure round-trip time.
 */
public final class Heartbeat
{
    public static final int PAYLOAD_LENGTH = 16;

    private Heartbeat()
    {
    }

    public static void encode(final WireWriter writer, final long sentAtNanos, final long echoNanos)
    {
        writer.putLong(sentAtNanos).putLong(echoNanos);
    }

    /**
     * @param reader positioned at the payload.
     * @return sentAtNanos; read {@link #echoNanos} next.
     */
    public static long sentAtNanos(final WireReader reader)
    {
        return reader.getLong("sentAtNanos");
    }

    public static long echoNanos(final WireReader reader)
    {
        return reader.getLong("echoNanos");
    }
}
