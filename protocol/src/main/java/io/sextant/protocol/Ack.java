package io.sextant.protocol;

/**
 * ACK payload: one int64, the highest sequence number such that every frame of the agent's
 * session up to and including it is journaled. Cumulative: an ACK for n acknowledges all of 1..n.
 */
public final class Ack
{
    public static final int PAYLOAD_LENGTH = 8;

    private Ack()
    {
    }

    public static void encode(final WireWriter writer, final long ackedSequence)
    {
        writer.putLong(ackedSequence);
    }

    public static long decode(final WireReader reader)
    {
        return reader.getLong("ackedSequence");
    }
}
