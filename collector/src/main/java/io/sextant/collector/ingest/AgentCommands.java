package io.sextant.collector.ingest;

import io.sextant.protocol.Command;
import io.sextant.protocol.CommandKind;
import io.sextant.protocol.CommandResult;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends COMMAND frames to connected agents and hands back their COMMAND_RESULT (protocol section
 * 6.6). A command goes to one agent session's current connection; its result completes the returned
 * future when the agent's COMMAND_RESULT frame has been accepted into the journal ring (the result is
 * then also journaled, and stored as a {@code sextant.command-result} log record).
 *
 * <p>Threads: {@link #send} from any thread (the frame is written on the connection's event loop);
 * results are delivered on the event loop that read them. Waiting is bounded by the caller (a future
 * that is never answered, because the agent went away, should be given a timeout with
 * {@link CompletableFuture#orTimeout}); completing it in any way forgets the command.
 */
public final class AgentCommands
{
    /** Most commands waiting for a result at once; further sends fail at once. */
    public static final int MAX_PENDING = 1024;

    private final Sessions sessions;
    private final Map<Long, CompletableFuture<CommandResult>> pending = new ConcurrentHashMap<>();
    // Ids carry the creation time in their high bits, so they stay unique across collector restarts.
    private final AtomicLong nextId = new AtomicLong(System.currentTimeMillis() << 20);

    AgentCommands(final Sessions sessions)
    {
        this.sessions = sessions;
    }

    /**
     * Picks the agent to command: the session of {@code agentId} when it is connected, else the
     * connected session of {@code service} seen most recently.
     *
     * @param agentId an agent id (the {@code instance} label of agent series), or null/empty.
     * @param service a service name, or null/empty.
     * @return the session, or null when no matching agent is connected.
     */
    public SessionState pick(final String agentId, final String service)
    {
        if (agentId != null && !agentId.isEmpty())
        {
            for (final SessionState s : sessions.all())
            {
                if (s.connected() && s.current != null && s.agentId().toString().equals(agentId))
                {
                    return s;
                }
            }
        }
        if (service == null || service.isEmpty())
        {
            return null;
        }
        return sessions.all().stream()
            .filter(s -> s.connected() && s.current != null && service.equals(s.service()))
            .max(Comparator.comparingLong(SessionState::lastSeenMillis))
            .orElse(null);
    }

    /**
     * Sends a command to a connected session.
     *
     * @return a future completed with the agent's result, or failed at once when the session is not
     *         connected or too many commands are waiting.
     */
    public CompletableFuture<CommandResult> send(final SessionState session, final CommandKind kind,
        final Map<String, String> arguments)
    {
        final IngestHandler connection = session.current;
        if (connection == null || !session.connected())
        {
            return CompletableFuture.failedFuture(new IllegalStateException("agent " + session.agentId() + " (" +
                session.service() + ") is not connected"));
        }
        if (pending.size() >= MAX_PENDING)
        {
            return CompletableFuture.failedFuture(new IllegalStateException(MAX_PENDING +
                " agent commands are already waiting for results"));
        }
        final long id = nextId.incrementAndGet();
        final CompletableFuture<CommandResult> result = new CompletableFuture<>();
        pending.put(id, result);
        result.whenComplete((r, t) -> pending.remove(id));
        connection.sendCommand(new Command(id, kind, Map.copyOf(arguments)), result);
        return result;
    }

    /** @return commands sent and not yet answered (or timed out). */
    public int pending()
    {
        return pending.size();
    }

    /** A COMMAND_RESULT arrived from an agent (event loop). */
    void completed(final CommandResult result)
    {
        final CompletableFuture<CommandResult> f = pending.get(result.commandId());
        if (f != null)
        {
            f.complete(result);
        }
    }
}
