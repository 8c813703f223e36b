package io.sextant.collector.ingest;

import io.sextant.collector.journal.Journal;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.protocol.Frame;
import io.sextant.protocol.Hello;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.WireReader;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry of agent sessions, keyed by (agent id, session id). The dedupe state survives restarts
 * because {@link #recover} rebuilds it from the journal before ingest starts.
 */
public final class Sessions
{
    private record Key(long msb, long lsb, long session)
    {
    }

    private final Map<Key, SessionState> sessions = new ConcurrentHashMap<>();
    private final AgentCommands commands = new AgentCommands(this);

    /**
     * @return the means to send COMMAND frames to connected agents.
     */
    public AgentCommands commands()
    {
        return commands;
    }

    /**
     * @return the session, created when new.
     */
    SessionState acquire(final UUID agentId, final long sessionId)
    {
        return sessions.computeIfAbsent(
            new Key(agentId.getMostSignificantBits(), agentId.getLeastSignificantBits(), sessionId),
            k -> new SessionState(agentId, sessionId));
    }

    /**
     * @return the session or null.
     */
    public SessionState find(final UUID agentId, final long sessionId)
    {
        return sessions.get(new Key(agentId.getMostSignificantBits(), agentId.getLeastSignificantBits(), sessionId));
    }

    /**
     * @return every known session.
     */
    public List<SessionState> all()
    {
        return new ArrayList<>(sessions.values());
    }

    /**
     * Rebuilds sequence state by reading the journal's record headers from the start. Call before
     * ingest accepts connections.
     *
     * @param journal the journal.
     * @return records scanned.
     */
    public long recover(final Journal journal)
    {
        long records = 0;
        final UnsafeBuffer view = new UnsafeBuffer(new byte[64 * 1024]);
        try (ExcerptTailer tailer = journal.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    records++;
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long start = bytes.readPosition();
                    final int length = (int)bytes.readRemaining();
                    if (length < JournalRecord.HEADER_LENGTH + Frame.HEADER_LENGTH ||
                        bytes.readInt(start) != JournalRecord.KIND_AGENT_FRAME)
                    {
                        continue;
                    }
                    final int headLength = JournalRecord.HEADER_LENGTH + Frame.HEADER_LENGTH;
                    for (int i = 0; i < headLength; i++)
                    {
                        view.putByte(i, bytes.readByte(start + i));
                    }
                    final UUID agent = new UUID(JournalRecord.agentMsb(view, 0), JournalRecord.agentLsb(view, 0));
                    final long session = JournalRecord.sessionId(view, 0);
                    final MessageType type = Frame.type(view, JournalRecord.HEADER_LENGTH);
                    final SessionState state = acquire(agent, session);
                    if (type == MessageType.HELLO)
                    {
                        final byte[] all = new byte[length];
                        bytes.read(all);
                        final UnsafeBuffer whole = new UnsafeBuffer(all);
                        try
                        {
                            final Hello hello = Hello.decode(new WireReader().wrap(
                                whole, headLength, length));
                            state.service = hello.service();
                            state.host = hello.host();
                            state.pid = hello.pid();
                        }
                        catch (final RuntimeException ignore)
                        {
                            // A damaged HELLO loses only health details.
                        }
                        state.connectionId = JournalRecord.connectionId(view, 0);
                    }
                    else if (type != null && type.isSequenced())
                    {
                        final long seq = Frame.sequence(view, JournalRecord.HEADER_LENGTH);
                        if (seq > state.lastJournaled.get())
                        {
                            state.lastJournaled.set(seq);
                        }
                    }
                    state.lastSeenMillis = JournalRecord.receivedNanos(view, 0) / 1_000_000;
                }
            }
        }
        return records;
    }
}
