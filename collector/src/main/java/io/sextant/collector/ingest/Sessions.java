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
import io.sextant.collector.store.CheckpointIn;
import io.sextant.collector.store.CheckpointOut;
import io.sextant.collector.store.CheckpointState;
import io.sextant.collector.store.RecordApplier;
import io.sextant.collector.store.SeriesStore;
import org.agrona.DirectBuffer;
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
     * Rebuilds sequence state by reading the journal's records from the start. Call before ingest
     * accepts connections.
     *
     * @param journal the journal.
     * @return records scanned.
     */
    public long recover(final Journal journal)
    {
        return recover(journal, -1);
    }

    /**
     * Rebuilds sequence state from the records after {@code afterIndex} (on top of a state restored
     * from a checkpoint taken at that index), or from the start when it is negative.
     *
     * @return records scanned.
     */
    public long recover(final Journal journal, final long afterIndex)
    {
        long records = 0;
        UnsafeBuffer view = new UnsafeBuffer(new byte[64 * 1024]);
        try (ExcerptTailer tailer = journal.createTailer())
        {
            if (afterIndex >= 0 && tailer.moveToIndex(afterIndex))
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    // The checkpoint's own last record is in the restored state already.
                }
            }
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
                    final boolean hello = bytes.readByte(start + JournalRecord.HEADER_LENGTH + Frame.TYPE_OFFSET) ==
                        (byte)MessageType.HELLO.code();
                    final int copy = hello ? length : headLength;
                    if (view.capacity() < copy)
                    {
                        view = new UnsafeBuffer(new byte[copy]);
                    }
                    bytes.read(view.byteArray(), 0, copy);
                    observe(view, length);
                }
            }
        }
        return records;
    }

    /**
     * Applies one journal record to the sequence state. For a HELLO the whole record must be in
     * {@code record}; for other frames the journal and frame headers suffice.
     */
    public void observe(final DirectBuffer record, final int length)
    {
        final int headLength = JournalRecord.HEADER_LENGTH + Frame.HEADER_LENGTH;
        if (length < headLength || JournalRecord.kind(record, 0) != JournalRecord.KIND_AGENT_FRAME)
        {
            return;
        }
        final UUID agent = new UUID(JournalRecord.agentMsb(record, 0), JournalRecord.agentLsb(record, 0));
        final long session = JournalRecord.sessionId(record, 0);
        final MessageType type = Frame.type(record, JournalRecord.HEADER_LENGTH);
        final SessionState state = acquire(agent, session);
        if (type == MessageType.HELLO)
        {
            try
            {
                final Hello hello = Hello.decode(new WireReader().wrap(record, headLength, length));
                state.service = hello.service();
                state.host = hello.host();
                state.pid = hello.pid();
            }
            catch (final RuntimeException ignore)
            {
                // A damaged HELLO loses only health details.
            }
            state.connectionId = JournalRecord.connectionId(record, 0);
        }
        else if (type != null && type.isSequenced())
        {
            final long seq = Frame.sequence(record, JournalRecord.HEADER_LENGTH);
            if (seq > state.lastJournaled.get())
            {
                state.lastJournaled.set(seq);
            }
        }
        state.lastSeenMillis = JournalRecord.receivedNanos(record, 0) / 1_000_000;
    }

    /** Writes the journal-derived part of every session (a checkpoint section). */
    void save(final CheckpointOut out)
    {
        final List<SessionState> all = all();
        out.putInt(all.size());
        for (final SessionState st : all)
        {
            out.putLong(st.agentId().getMostSignificantBits()).putLong(st.agentId().getLeastSignificantBits())
                .putLong(st.sessionId()).putLong(st.lastJournaled.get()).putString(st.service).putString(st.host)
                .putLong(st.pid).putLong(st.connectionId).putLong(st.lastSeenMillis);
        }
    }

    /** Adds the sessions {@link #save} wrote (replacing the journal-derived fields of known ones). */
    public void load(final CheckpointIn in)
    {
        final int n = in.getCount(64);
        for (int i = 0; i < n; i++)
        {
            final SessionState st = acquire(new UUID(in.getLong(), in.getLong()), in.getLong());
            st.lastJournaled.set(in.getLong());
            st.service = in.getString();
            st.host = in.getString();
            st.pid = in.getLong();
            st.connectionId = in.getLong();
            st.lastSeenMillis = in.getLong();
        }
    }

    /**
     * @return a tracker for the store tailer: it follows the journal record by record with its own
     *         session table and saves it into checkpoints (section {@value #SECTION}), so that a restart
     *         restores this table and scans only the journal after the checkpoint.
     */
    public static Tracker tracker()
    {
        return new Tracker();
    }

    /** Name of the checkpoint section the {@link Tracker} writes. */
    public static final String SECTION = "sessions";

    /** The store tailer's journal-derived session table (see {@link #tracker()}). */
    public static final class Tracker implements RecordApplier, CheckpointState
    {
        private final Sessions table = new Sessions();

        @Override
        public void apply(final DirectBuffer buffer, final int length)
        {
            table.observe(buffer, length);
        }

        @Override
        public void save(final CheckpointOut out)
        {
            table.save(out);
        }

        @Override
        public void load(final CheckpointIn in, final SeriesStore store)
        {
            table.sessions.clear();
            table.load(in);
        }
    }
}
