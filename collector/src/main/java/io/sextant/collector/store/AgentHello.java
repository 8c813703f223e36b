package io.sextant.collector.store;

import java.util.UUID;

/**
 * An agent's HELLO as the store tailer applied it, handed to the analysis through
 * {@link StoreListener#onEvent}: the analysis turns a new session of a known agent into an "agent
 * restart" change event. The time is when the collector received the HELLO (from the journal record), so
 * a replay of the journal hands over the same event.
 *
 * @param timeMillis       when the collector received the HELLO, Unix milliseconds
 * @param agentId          the agent's id (the {@code instance} label of its series)
 * @param sessionId        the agent's session; a new value means the agent (or its JVM) started anew
 * @param service          the service the agent reports for
 * @param host             the agent's host name
 * @param pid              the agent JVM's process id
 * @param startTimeMillis  when the agent's JVM started, as the agent says
 * @param agentVersion     the agent's version
 */
public record AgentHello(long timeMillis, UUID agentId, long sessionId, String service, String host, long pid,
                         long startTimeMillis, String agentVersion)
{
}
