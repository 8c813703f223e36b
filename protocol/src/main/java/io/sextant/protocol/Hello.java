package io.sextant.protocol;

import java.util.Map;
import java.util.UUID;

/**
 * HELLO: the first frame an agent sends on every connection. Sent once per connection, so it is a
 * plain record rather than a flyweight.
 *
 * @param agentId         identifies the agent installation; stable across restarts where possible.
 * @param sessionId       random per agent start; sequence numbers count within a session.
 * @param pid             operating-system process id.
 * @param startTimeMillis when the JVM started, Unix epoch milliseconds.
 * @param capabilities    bit set of {@code CAP_*} constants.
 * @param service         logical service name.
 * @param host            host name.
 * @param runtime         JVM vendor and version, for example "Eclipse Adoptium 17.0.15".
 * @param agentVersion    agent version.
 * @param token           authentication token, empty when none.
 * @param attributes      further descriptive attributes (for example deployment environment).
 */
public record Hello(
    UUID agentId, long sessionId, long pid, long startTimeMillis, long capabilities,
    String service, String host, String runtime, String agentVersion, String token,
    Map<String, String> attributes)
{
    /** Agent sends METRICS. */
    public static final long CAP_METRICS = 1;
    /** Agent sends LOGS. */
    public static final long CAP_LOGS = 1 << 1;
    /** Agent sends INFERENCE, LABELS and MODEL_EVENT. */
    public static final long CAP_INFERENCE = 1 << 2;
    /** Agent carries out COMMANDs. */
    public static final long CAP_COMMANDS = 1 << 3;
    /** Agent streams JFR events. */
    public static final long CAP_JFR = 1 << 4;

    /**
     * @param writer payload writer from {@link FrameWriter#begin}.
     */
    public void encode(final WireWriter writer)
    {
        writer.putLong(agentId.getMostSignificantBits()).putLong(agentId.getLeastSignificantBits())
            .putLong(sessionId).putLong(pid).putLong(startTimeMillis).putLong(capabilities)
            .putString(service).putString(host).putString(runtime).putString(agentVersion).putString(token);
        Pairs.putText(writer, attributes);
    }

    /**
     * @param reader positioned at the payload.
     * @return the decoded HELLO.
     */
    public static Hello decode(final WireReader reader)
    {
        final UUID agentId = new UUID(reader.getLong("agentId"), reader.getLong("agentId"));
        return new Hello(agentId, reader.getLong("sessionId"), reader.getLong("pid"),
            reader.getLong("startTimeMillis"), reader.getLong("capabilities"),
            reader.getString("service"), reader.getString("host"), reader.getString("runtime"),
            reader.getString("agentVersion"), reader.getString("token"), Pairs.getText(reader, "attributes"));
    }

    @Override
    public String toString()
    {
        // Never print the token.
        return "Hello{agentId=" + agentId + ", session=" + sessionId + ", service=" + service + ", host=" + host +
            ", pid=" + pid + ", runtime=" + runtime + ", agentVersion=" + agentVersion + "}";
    }
}
