package io.sextant.protocol;

/**
 * WELCOME: the collector's answer to an accepted HELLO.
 *
 * @param connectionId          identifies this connection in the collector's logs and journal.
 * @param lastJournaledSequence highest sequence of this agent session already journaled (0 if
 *                              none): the agent discards kept frames up to it and resends the rest.
 * @param heartbeatIntervalMillis how often each side should send a HEARTBEAT when otherwise idle.
 * @param maxFrameLength        the largest frame the collector accepts.
 * @param capabilities          collector capability bits (reserved, 0 in version 1).
 * @param collectorVersion      collector version.
 */
public record Welcome(
    long connectionId, long lastJournaledSequence, int heartbeatIntervalMillis, int maxFrameLength,
    long capabilities, String collectorVersion)
{
    public void encode(final WireWriter writer)
    {
        writer.putLong(connectionId).putLong(lastJournaledSequence).putInt(heartbeatIntervalMillis)
            .putInt(maxFrameLength).putLong(capabilities).putString(collectorVersion);
    }

    public static Welcome decode(final WireReader reader)
    {
        return new Welcome(reader.getLong("connectionId"), reader.getLong("lastJournaledSequence"),
            reader.getInt("heartbeatIntervalMillis"), reader.getInt("maxFrameLength"),
            reader.getLong("capabilities"), reader.getString("collectorVersion"));
    }
}
