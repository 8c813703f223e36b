package io.sextant.collector.ingest;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the collector knows about one agent session (agent id, session id): the highest journaled
 * sequence number and health facts for the API.
 *
 * <p>Threads: {@link #lastJournaled} is written only by the journal-writer thread (and by start-up
 * recovery before any connection is accepted); the health fields are written by the event loop of the
 * session's current connection and read by any thread.
 */
public final class SessionState
{
    private final UUID agentId;
    private final long sessionId;
    final AtomicLong lastJournaled = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    volatile String service = "";
    volatile String host = "";
    volatile long pid;
    volatile boolean connected;
    volatile long lastSeenMillis;
    volatile long connectionId;
    volatile IngestHandler current;

    SessionState(final UUID agentId, final long sessionId)
    {
        this.agentId = agentId;
        this.sessionId = sessionId;
    }

    public UUID agentId()
    {
        return agentId;
    }

    public long sessionId()
    {
        return sessionId;
    }

    /**
     * @return highest sequence number journaled for this session (0 if none).
     */
    public long lastJournaled()
    {
        return lastJournaled.get();
    }

    public long duplicates()
    {
        return duplicates.get();
    }

    public long frames()
    {
        return frames.get();
    }

    public String service()
    {
        return service;
    }

    public String host()
    {
        return host;
    }

    public long pid()
    {
        return pid;
    }

    public boolean connected()
    {
        return connected;
    }

    public long lastSeenMillis()
    {
        return lastSeenMillis;
    }

    public long connectionId()
    {
        return connectionId;
    }
}
